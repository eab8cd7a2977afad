namespace Quiver.Catalogue.Import.TfJs;

/// <summary>What <see cref="TfJsLayersImporter.Import"/> wrote.</summary>
/// <param name="OnnxPath">The ONNX model file.</param>
/// <param name="InputName">The ONNX model's input.</param>
/// <param name="InputShape">The input's shape, -1 for the batch.</param>
/// <param name="OutputName">The ONNX model's output.</param>
/// <param name="OutputLayer">The Keras layer the output is taken from.</param>
/// <param name="OutputShape">The output's shape, -1 for a dimension known at run time (the batch).</param>
/// <param name="ImportedLayers">The Keras layers the output depends on, all of them mapped.</param>
/// <param name="OnnxNodes">The nodes of the ONNX graph.</param>
/// <param name="WeightCount">The constants written as initializers.</param>
public sealed record TfJsLayersImportResult(
    string OnnxPath,
    string InputName,
    IReadOnlyList<long> InputShape,
    string OutputName,
    string OutputLayer,
    IReadOnlyList<long> OutputShape,
    int ImportedLayers,
    int OnnxNodes,
    int WeightCount);
