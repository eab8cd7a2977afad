namespace Quiver.Models.Pooling;

/// <summary>How a transformer's token vectors become one sentence vector (sentence-transformers' pooling modes).</summary>
public enum PoolingMode
{
    /// <summary>The average of the real (unpadded) tokens' vectors, [CLS] and [SEP] included.</summary>
    Mean,

    /// <summary>The first token's vector ([CLS]), as BGE and other CLS-trained models use.</summary>
    Cls,

    /// <summary>The element-wise maximum over the real tokens.</summary>
    Max,

    /// <summary>The last real token's vector, as decoder models (GTE-Qwen, E5-Mistral) use.</summary>
    LastToken,
}
