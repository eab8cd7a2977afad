namespace Quiver.Models.Synthetic;

/// <summary>The pooling a synthetic model's sentence-transformers <c>1_Pooling/config.json</c> asks for.</summary>
public enum SyntheticBertPooling
{
    /// <summary>The mean of the token vectors under the attention mask (<c>pooling_mode_mean_tokens</c>).</summary>
    Mean,

    /// <summary>The first token's vector, [CLS] in BERT's layout (<c>pooling_mode_cls_token</c>).</summary>
    Cls,

    /// <summary>The element-wise maximum over the masked token vectors (<c>pooling_mode_max_tokens</c>).</summary>
    Max,

    /// <summary>The last unmasked token's vector (<c>pooling_mode_lasttoken</c>).</summary>
    LastToken,
}
