using System.Text;
using System.Text.Json;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>One NodeDef of the graph: its name, operation, data inputs ("node" or "node:k") and attributes.</summary>
internal sealed class TfJsNode
{
    private readonly JsonElement _attributes;

    public TfJsNode(string name, string op, IReadOnlyList<TfJsOutputRef> inputs, JsonElement attributes)
    {
        Name = name;
        Op = op;
        Inputs = inputs;
        _attributes = attributes;
    }

    public string Name { get; }

    public string Op { get; }

    /// <summary>The data inputs; control inputs ("^node") only order execution and are left out.</summary>
    public IReadOnlyList<TfJsOutputRef> Inputs { get; }

    /// <summary>How errors name this node: "'name' (Op)".</summary>
    public string Description => $"node '{Name}' ({Op})";

    public static TfJsNode FromJson(JsonElement node)
    {
        var name = TfJsJson.Property(node, "name")?.GetString();
        if (string.IsNullOrEmpty(name))
        {
            throw new TfJsImportException($"A node of modelTopology.node has no name: {Truncate(node.ToString())}");
        }

        var op = TfJsJson.Property(node, "op")?.GetString()
            ?? throw new TfJsImportException($"Node '{name}' has no op.");
        var inputs = TfJsJson.Array(node, "input")
            .Select(i => i.GetString() ?? string.Empty)
            .Where(i => !i.StartsWith('^'))
            .Select(TfJsOutputRef.Parse)
            .ToArray();
        // Cloned: the attributes outlive the JSON document the graph was read from.
        var attributes = TfJsJson.Property(node, "attr")?.Clone() ?? default;
        return new TfJsNode(name, op, inputs, attributes);
    }

    public bool Has(string attribute) => Attribute(attribute) is not null;

    public long Int(string attribute, long fallback) =>
        Attribute(attribute) is { } value && TfJsJson.Property(value, "i") is { } i ? TfJsJson.Int64(i) : fallback;

    public bool Bool(string attribute, bool fallback) =>
        Attribute(attribute) is { } value && TfJsJson.Property(value, "b") is { } b ? TfJsJson.Bool(b) : fallback;

    public string String(string attribute, string fallback) =>
        Attribute(attribute) is { } value && TfJsJson.Property(value, "s") is { } s ? Encoding.UTF8.GetString(TfJsJson.Bytes(s)) : fallback;

    public TfDataType? Type(string attribute) =>
        Attribute(attribute) is { } value && TfJsJson.Property(value, "type") is { } type ? TfDataTypes.Parse(type, $"Attribute '{attribute}' of {Description}") : null;

    /// <summary>A list of integers (<c>list.i</c>); an absent attribute or empty list gives an empty array.</summary>
    public long[] Ints(string attribute) =>
        Attribute(attribute) is { } value && TfJsJson.Property(value, "list") is { } list ? [.. TfJsJson.Array(list, "i").Select(TfJsJson.Int64)] : [];

    /// <summary>A shape attribute (<c>shape</c>): null when absent or of unknown rank.</summary>
    public long[]? Shape(string attribute) =>
        Attribute(attribute) is { } value && TfJsJson.Property(value, "shape") is { } shape ? TfJsShape.FromJson(shape) : null;

    public JsonElement? Tensor(string attribute) =>
        Attribute(attribute) is { } value ? TfJsJson.Property(value, "tensor") : null;

    private JsonElement? Attribute(string name) => TfJsJson.Property(_attributes, name);

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
