namespace Quiver.Catalogue.Import.TfJs;

/// <summary>What <see cref="TfJsGraphImporter.Import"/> wrote.</summary>
/// <param name="OnnxPath">The ONNX model file.</param>
/// <param name="InputNames">The ONNX model's inputs, in order.</param>
/// <param name="OutputName">The ONNX model's output.</param>
/// <param name="OutputShape">The output's shape as far as the import knows it, -1 for a dimension known at run time (the batch).</param>
/// <param name="ImportedNodes">The TensorFlow nodes the output depends on, all of them mapped.</param>
/// <param name="OnnxNodes">The nodes of the ONNX graph.</param>
/// <param name="WeightCount">The constants written as initializers.</param>
public sealed record TfJsImportResult(
    string OnnxPath,
    IReadOnlyList<string> InputNames,
    string OutputName,
    IReadOnlyList<long> OutputShape,
    int ImportedNodes,
    int OnnxNodes,
    int WeightCount);
