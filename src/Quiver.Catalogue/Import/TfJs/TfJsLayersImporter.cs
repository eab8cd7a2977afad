using Quiver.Catalogue.Import.Onnx;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// Imports a TensorFlow.js layers model (a Keras functional model, such as nsfwjs's MobileNetV2) as an ONNX model for
/// ONNX Runtime, once, at install time.
/// </summary>
/// <remarks>
/// The ONNX model takes the input in the layout the Keras model does (NHWC for images) and computes in NCHW inside,
/// with one Transpose in and one out; kernels are laid out for ONNX at import time. Every layer the output depends on
/// is mapped with Keras's semantics (opset 17), TensorFlow's SAME padding as explicit pads; a layer class the importer
/// does not know stops the import with the class and the layer named.
/// </remarks>
public static class TfJsLayersImporter
{
    public static TfJsLayersImportResult Import(TfJsLayersModel model, string onnxPath, TfJsLayersImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        ArgumentNullException.ThrowIfNull(options);
        var (bytes, result) = new TfJsLayersConverter(model, options).Convert(onnxPath);
        OnnxModelFile.Write(onnxPath, bytes);
        return result;
    }
}
