namespace Quiver.Catalogue.Import.Onnx;

/// <summary>
/// One axis of a graph input's or output's shape: a fixed size, or a symbolic name ("batch", "sequence") that ONNX
/// Runtime binds at run time and requires to agree across every value that uses the same name.
/// </summary>
internal readonly record struct OnnxDimension
{
    private OnnxDimension(long size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, meaningful when <see cref="Symbol"/> is null.</summary>
    public long Size { get; }

    public string? Symbol { get; }

    public static OnnxDimension Fixed(long size) =>
        size >= 0 ? new OnnxDimension(size, null) : throw new ArgumentOutOfRangeException(nameof(size), size, "A dimension's size cannot be negative.");

    public static OnnxDimension Named(string symbol) =>
        string.IsNullOrWhiteSpace(symbol) ? throw new ArgumentException("A symbolic dimension needs a name, such as \"batch\".", nameof(symbol)) : new OnnxDimension(0, symbol);

    public static implicit operator OnnxDimension(long size) => Fixed(size);

    public static implicit operator OnnxDimension(string symbol) => Named(symbol);

    public override string ToString() => Symbol ?? Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
