using System.Text.Json;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// A TensorFlow.js graph model as its converter writes it: model.json (<c>modelTopology</c>, a GraphDef in protobuf
/// JSON, and <c>weightsManifest</c>) beside its binary weight shards.
/// </summary>
internal sealed class TfJsGraphModel
{
    private TfJsGraphModel(string path, IReadOnlyList<TfJsNode> nodes, IReadOnlyDictionary<string, TfJsTensor> weights)
    {
        Path = path;
        Nodes = nodes;
        Weights = weights;
    }

    public string Path { get; }

    /// <summary>The nodes in file order, which TensorFlow does not promise is topological.</summary>
    public IReadOnlyList<TfJsNode> Nodes { get; }

    /// <summary>Decoded (and dequantised) weights by name; a Const node finds its value here under its own name.</summary>
    public IReadOnlyDictionary<string, TfJsTensor> Weights { get; }

    public static TfJsGraphModel Load(string modelJsonPath)
    {
        if (!File.Exists(modelJsonPath))
        {
            throw new TfJsImportException($"{modelJsonPath} does not exist; pass the model.json of a TensorFlow.js graph model.");
        }

        using var document = ParseJson(modelJsonPath);
        var root = document.RootElement;
        var topology = TfJsJson.Property(root, "modelTopology", "model_topology")
            ?? throw new TfJsImportException($"{modelJsonPath} has no modelTopology; it is not a TensorFlow.js model.");
        if (TfJsJson.Property(topology, "node") is not { ValueKind: JsonValueKind.Array } nodeArray)
        {
            var format = TfJsJson.Property(root, "format")?.GetString();
            throw new TfJsImportException(
                $"{modelJsonPath} has no modelTopology.node (format '{format ?? "unknown"}'): it is a layers model, not a graph model. Import it with TfJsLayersImporter (TfJsLayersModel.Load).");
        }

        var nodes = new List<TfJsNode>(nodeArray.GetArrayLength());
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in nodeArray.EnumerateArray())
        {
            var node = TfJsNode.FromJson(element);
            if (!names.Add(node.Name))
            {
                throw new TfJsImportException($"{modelJsonPath} has two nodes named '{node.Name}'.");
            }

            nodes.Add(node);
        }

        var manifest = TfJsJson.Property(root, "weightsManifest", "weights_manifest");
        var weights = manifest is { ValueKind: JsonValueKind.Array } groups
            ? TfJsWeights.Read(modelJsonPath, groups)
            : [];
        return new TfJsGraphModel(modelJsonPath, nodes, weights);
    }

    private static JsonDocument ParseJson(string path)
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
