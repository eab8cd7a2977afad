using System.Globalization;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>An input of a node: output <see cref="Index"/> of node <see cref="Node"/>, written "node" or "node:k".</summary>
internal readonly record struct TfJsOutputRef(string Node, int Index)
{
    public static TfJsOutputRef Parse(string input)
    {
        var colon = input.LastIndexOf(':');
        return colon > 0 && int.TryParse(input.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? new TfJsOutputRef(input[..colon], index)
            : new TfJsOutputRef(input, 0);
    }

    public override string ToString() => Index == 0 ? Node : $"{Node}:{Index.ToString(CultureInfo.InvariantCulture)}";
}
