namespace Quiver.Catalogue.Import.TfJs;

/// <summary>How <see cref="TfJsGraphImporter"/> turns a TensorFlow.js graph into an ONNX model.</summary>
public sealed record TfJsImportOptions
{
    /// <summary>The node whose output 0 is the model's output; null for the last node of modelTopology.node.</summary>
    public string? OutputNode { get; init; }

    /// <summary>The ONNX output's name.</summary>
    public string OutputName { get; init; } = "sentence_embedding";

    /// <summary>
    /// The placeholder that takes a SparseTensor's indices ([n, 2]: sentence, position), as Universal Sentence
    /// Encoder's "indices" does. Set together with <see cref="SparseValuesPlaceholder"/> to replace the pair with
    /// dense <c>input_ids</c> and <c>attention_mask</c> inputs; null keeps every placeholder as a graph input.
    /// </summary>
    public string? SparseIndicesPlaceholder { get; init; }

    /// <summary>The placeholder that takes the SparseTensor's values ([n] token ids), such as "values".</summary>
    public string? SparseValuesPlaceholder { get; init; }

    /// <summary>The dense token-id input that replaces the sparse pair.</summary>
    public string InputIdsName { get; init; } = "input_ids";

    /// <summary>The dense mask input (1 for a token, 0 for padding after it) that replaces the sparse pair.</summary>
    public string AttentionMaskName { get; init; } = "attention_mask";

    /// <summary>The options for Universal Sentence Encoder lite: its "indices" and "values" pair from token ids.</summary>
    public static TfJsImportOptions UniversalSentenceEncoder { get; } = new()
    {
        SparseIndicesPlaceholder = "indices",
        SparseValuesPlaceholder = "values",
    };
}
