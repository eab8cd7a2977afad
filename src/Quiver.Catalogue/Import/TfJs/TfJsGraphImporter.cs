using Quiver.Catalogue.Import.Onnx;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// Imports a TensorFlow.js graph model (model.json and its weight shards, as tensorflowjs_converter writes them) as
/// an ONNX model for ONNX Runtime, once, at install time.
/// </summary>
/// <remarks>
/// Every node the output depends on is mapped to ONNX ops with TensorFlow's semantics (opset 17); an op the importer
/// does not know stops the import with the op and the node named, rather than producing a model that computes
/// something else. Quantized weights are dequantised to float32. With the sparse placeholders set (see
/// <see cref="TfJsImportOptions.UniversalSentenceEncoder"/>), the model takes <c>input_ids</c> and
/// <c>attention_mask</c> as an encoder pipeline supplies them and builds the sparse pair inside the graph.
/// </remarks>
public static class TfJsGraphImporter
{
    public static TfJsImportResult Import(string modelJsonPath, string onnxPath, TfJsImportOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelJsonPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        ArgumentNullException.ThrowIfNull(options);
        var model = TfJsGraphModel.Load(modelJsonPath);
        var (bytes, result) = new TfJsGraphConverter(model, options).Convert(onnxPath);
        OnnxModelFile.Write(onnxPath, bytes);
        return result;
    }
}
