using System.Text.Json;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// One layer of a Keras functional model's config: its class, its config, and the layer outputs it is called on
/// (inbound_nodes in the Keras 2 form, [[["layer", node, tensor, {}], ...]]).
/// </summary>
internal sealed class TfJsLayer
{
    private TfJsLayer(string name, string className, JsonElement config, IReadOnlyList<string> inputs)
    {
        Name = name;
        ClassName = className;
        Config = config;
        Inputs = inputs;
    }

    public string Name { get; }

    public string ClassName { get; }

    public JsonElement Config { get; }

    /// <summary>The layers whose outputs this layer reads, in order.</summary>
    public IReadOnlyList<string> Inputs { get; }

    public string Description => $"layer '{Name}' ({ClassName})";

    public static TfJsLayer FromJson(JsonElement element, string source)
    {
        var className = TfJsJson.Property(element, "class_name")?.GetString()
            ?? throw new TfJsImportException($"{source}: a layer has no class_name.");
        var config = TfJsJson.Property(element, "config") ?? throw new TfJsImportException($"{source}: a {className} layer has no config.");
        var name = TfJsJson.Property(element, "name")?.GetString() ?? TfJsJson.Property(config, "name")?.GetString()
            ?? throw new TfJsImportException($"{source}: a {className} layer has no name.");
        var nodes = TfJsJson.Array(element, "inbound_nodes").ToArray();
        if (nodes.Length > 1)
        {
            throw new TfJsImportException($"{source}: layer '{name}' ({className}) is called {nodes.Length} times (a shared layer); the importer maps layers called once.");
        }

        var inputs = new List<string>();
        foreach (var inbound in nodes.SelectMany(n => n.ValueKind == JsonValueKind.Array ? n.EnumerateArray() : throw NotKeras2(source, name, className)))
        {
            if (inbound.ValueKind != JsonValueKind.Array || inbound.GetArrayLength() < 3 || inbound[0].ValueKind != JsonValueKind.String)
            {
                throw NotKeras2(source, name, className);
            }

            if (inbound[1].GetInt32() != 0 || inbound[2].GetInt32() != 0)
            {
                throw new TfJsImportException($"{source}: layer '{name}' ({className}) reads output {inbound[2]} of call {inbound[1]} of '{inbound[0].GetString()}'; the importer maps layers with one output, called once.");
            }

            inputs.Add(inbound[0].GetString()!);
        }

        return new TfJsLayer(name, className, config.Clone(), inputs);
    }

    public JsonElement? Option(string name) => TfJsJson.Property(Config, name);

    public string String(string name, string fallback) => Option(name)?.GetString() ?? fallback;

    public double Double(string name, double fallback) => Option(name) is { } value ? TfJsJson.Double(value) : fallback;

    public bool Bool(string name, bool fallback) => Option(name) is { } value ? TfJsJson.Bool(value) : fallback;

    /// <summary>A pair such as kernel_size or strides, which Keras also accepts as one number for both.</summary>
    public (long, long) Pair(string name, long fallback)
    {
        switch (Option(name))
        {
            case null:
                return (fallback, fallback);
            case { ValueKind: JsonValueKind.Number } one:
                return (one.GetInt64(), one.GetInt64());
            case { ValueKind: JsonValueKind.Array } two when two.GetArrayLength() == 2:
                return (two[0].GetInt64(), two[1].GetInt64());
            case var other:
                throw new TfJsImportException($"The {Description} has {name} {other}; expected one number or two.");
        }
    }

    private static TfJsImportException NotKeras2(string source, string name, string className) =>
        new($"{source}: the inbound_nodes of layer '{name}' ({className}) are not in the Keras 2 form [[[\"layer\", 0, 0, {{}}]]]; save the model with Keras 2 / TensorFlow.js layers format.");
}
