namespace Quiver.Catalogue.Import.TfJs;

/// <summary>How <see cref="TfJsLayersImporter"/> turns a TensorFlow.js layers model into an ONNX model.</summary>
public sealed record TfJsLayersImportOptions
{
    /// <summary>
    /// The layer whose output is the model's output, as Keras computes it (channels last); null for the pooled
    /// features: the last GlobalAveragePooling2D or AveragePooling2D layer, flattened to [batch, channels].
    /// </summary>
    public string? OutputLayer { get; init; }

    /// <summary>The ONNX input's name; it takes the same layout the Keras model does, NHWC for images.</summary>
    public string InputName { get; init; } = "pixel_values";

    /// <summary>The ONNX output's name.</summary>
    public string OutputName { get; init; } = "image_embedding";
}
