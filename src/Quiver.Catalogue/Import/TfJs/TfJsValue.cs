namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// One output of a TensorFlow node as the ONNX graph holds it: its element type, its static shape as far as the
/// import can tell (see <see cref="TfJsShape"/>), and for a constant its values, which ops that need attributes
/// (axes, permutations, slice bounds) read at import time.
/// </summary>
internal sealed class TfJsValue
{
    private TfJsValue(string? onnxName, TfDataType type, long[]? shape, TfJsTensor? constant, string? constantName)
    {
        OnnxName = onnxName;
        ConstantName = constantName;
        Type = type;
        Shape = shape;
        Constant = constant;
    }

    /// <summary>The ONNX value; null for a constant no node has read as a tensor yet (it becomes an initializer then).</summary>
    public string? OnnxName { get; set; }

    public TfDataType Type { get; }

    public long[]? Shape { get; }

    public int? Rank => Shape?.Length;

    public TfJsTensor? Constant { get; }

    /// <summary>The initializer name a constant gets when a node reads it: its TensorFlow node's name.</summary>
    public string? ConstantName { get; }

    public static TfJsValue Of(string onnxName, TfDataType type, long[]? shape) => new(onnxName, type, shape, null, null);

    public static TfJsValue OfConstant(string name, TfJsTensor constant) => new(null, constant.Type, constant.Shape, constant, name);
}
