using System.Text.Json;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// A TensorFlow.js layers model: a Keras functional model's config (modelTopology.model_config) and its weights, read
/// from a model.json beside its binary shards or from the script bundles nsfwjs ships (model.min.js beside
/// group1-shard*.min.js).
/// </summary>
public sealed class TfJsLayersModel
{
    private TfJsLayersModel(string source, IReadOnlyList<TfJsLayer> layers, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyDictionary<string, TfJsTensor> weights)
    {
        Source = source;
        Layers = layers;
        InputLayers = inputs;
        OutputLayers = outputs;
        Weights = weights;
    }

    /// <summary>The file the model was read from, for messages.</summary>
    public string Source { get; }

    /// <summary>The layers in config order, which Keras writes each after the layers it reads.</summary>
    internal IReadOnlyList<TfJsLayer> Layers { get; }

    internal IReadOnlyList<string> InputLayers { get; }

    internal IReadOnlyList<string> OutputLayers { get; }

    /// <summary>Dequantised weights by their manifest name, "{layer}/{weight}" such as "Conv1/kernel".</summary>
    internal IReadOnlyDictionary<string, TfJsTensor> Weights { get; }

    /// <summary>Reads model.json (format "layers-model") and the binary weight shards its manifest lists beside it.</summary>
    public static TfJsLayersModel Load(string modelJsonPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelJsonPath);
        if (!File.Exists(modelJsonPath))
        {
            throw new TfJsImportException($"{modelJsonPath} does not exist; pass the model.json of a TensorFlow.js layers model.");
        }

        using var document = Parse(modelJsonPath);
        return FromJson(modelJsonPath, document.RootElement, manifest => TfJsWeights.Read(modelJsonPath, manifest));
    }

    /// <summary>
    /// Reads nsfwjs's bundled form: <paramref name="modelScriptPath"/> (model.min.js) exports model.json, and each
    /// manifest path P is the base64 shard exported by P.min.js in the same folder, as nsfwjs's loader expects.
    /// </summary>
    public static TfJsLayersModel LoadScriptBundle(string modelScriptPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelScriptPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelScriptPath))!;
        using var document = TfJsScriptBundle.ReadObject(modelScriptPath);
        return FromJson(modelScriptPath, document.RootElement, manifest => TfJsWeights.Read(modelScriptPath, manifest, paths =>
        {
            using var data = new MemoryStream();
            foreach (var path in paths)
            {
                var script = Path.Combine(folder, path + ".min.js");
                if (!File.Exists(script))
                {
                    throw new TfJsImportException($"Weight bundle {script}, for shard '{path}' in the manifest of {modelScriptPath}, is missing. Copy every group1-shard*.min.js next to model.min.js.");
                }

                data.Write(TfJsScriptBundle.ReadBase64(script));
            }

            return data.ToArray();
        }));
    }

    private static TfJsLayersModel FromJson(string source, JsonElement root, Func<JsonElement, Dictionary<string, TfJsTensor>> readWeights)
    {
        var topology = TfJsJson.Property(root, "modelTopology")
            ?? throw new TfJsImportException($"{source} has no modelTopology; it is not a TensorFlow.js model.");
        var config = TfJsJson.Property(topology, "model_config") ?? topology;
        var className = TfJsJson.Property(config, "class_name")?.GetString();
        if (className is not ("Model" or "Functional"))
        {
            throw new TfJsImportException(
                TfJsJson.Property(topology, "node") is not null
                    ? $"{source} is a graph model, not a layers model; import it with TfJsGraphImporter."
                    : $"{source} holds a '{className ?? "unknown"}' model; the importer maps Keras functional models (class_name Model or Functional).");
        }

        var body = TfJsJson.Property(config, "config") ?? throw new TfJsImportException($"{source}: model_config has no config.");
        var layers = new List<TfJsLayer>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in TfJsJson.Array(body, "layers"))
        {
            var layer = TfJsLayer.FromJson(element, source);
            if (!names.Add(layer.Name))
            {
                throw new TfJsImportException($"{source} has two layers named '{layer.Name}'.");
            }

            layers.Add(layer);
        }

        var manifest = TfJsJson.Property(root, "weightsManifest");
        var weights = manifest is { ValueKind: JsonValueKind.Array } groups ? readWeights(groups) : [];
        return new TfJsLayersModel(source, layers, LayerNames(body, "input_layers"), LayerNames(body, "output_layers"), weights);
    }

    private static string[] LayerNames(JsonElement body, string property) =>
        [.. TfJsJson.Array(body, property).Select(entry => entry.ValueKind == JsonValueKind.Array ? entry[0].GetString()! : entry.GetString()!)];

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new TfJsImportException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
