using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Quiver.Catalogue.Import.TfJs;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// Writes small TensorFlow.js graph models the way tensorflowjs_converter does (model.json with a GraphDef in
/// protobuf JSON, weights in the manifest, concatenated and cut into shards), imports them and runs the ONNX model.
/// </summary>
internal sealed class TfJsModelFixture : IDisposable
{
    private readonly JsonArray _nodes = [];
    private readonly JsonArray _weights = [];
    private readonly List<byte[]> _data = [];
    private readonly TemporaryFolder _folder = new();

    public string Folder => _folder.Path;

    public string ModelJson => _folder.File("model.json");

    public string Placeholder(string name, string dtype, params long[] shape) =>
        Op(name, "Placeholder", [], ("dtype", Attr.Type(dtype)), ("shape", new JsonObject { ["shape"] = Shape(shape) }));

    /// <summary>A float32 Const whose values live in the weights manifest, as the converter writes every constant.</summary>
    public string Weight(string name, float[] values, params long[] shape)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return AddWeight(name, "DT_FLOAT", "float32", shape, bytes, null);
    }

    /// <summary>An integer Const in the manifest: int32 there, whatever TensorFlow type the node declares.</summary>
    public string IntWeight(string name, long[] values, long[] shape, string dtype = "DT_INT32")
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), checked((int)values[i]));
        }

        return AddWeight(name, dtype, "int32", shape, bytes, null);
    }

    public string IntWeight(string name, params long[] values) => IntWeight(name, values, [values.Length]);

    /// <summary>A weight stored quantized (uint8 or uint16 with scale and min, or float16).</summary>
    public string QuantizedWeight(string name, string dtype, string stored, byte[] bytes, long[] shape, double? scale = null, double? min = null)
    {
        var quantization = new JsonObject { ["dtype"] = stored };
        if (scale is { } s && min is { } m)
        {
            quantization["scale"] = s;
            quantization["min"] = m;
        }

        return AddWeight(name, dtype == "int32" ? "DT_INT32" : "DT_FLOAT", dtype, shape, bytes, quantization);
    }

    /// <summary>A Const with its value inline in the node, as TensorFlow writes small constants in a GraphDef.</summary>
    public string InlineConst(string name, string dtype, long[] shape, JsonObject values)
    {
        var tensor = new JsonObject { ["dtype"] = dtype, ["tensorShape"] = Shape(shape) };
        foreach (var (key, value) in values)
        {
            tensor[key] = value?.DeepClone();
        }

        return Op(name, "Const", [], ("dtype", Attr.Type(dtype)), ("value", new JsonObject { ["tensor"] = tensor }));
    }

    public string Op(string name, string op, string[] inputs, params (string Name, JsonNode Value)[] attributes)
    {
        var attr = new JsonObject();
        foreach (var (key, value) in attributes)
        {
            attr[key] = value;
        }

        _nodes.Add(new JsonObject
        {
            ["name"] = name,
            ["op"] = op,
            ["input"] = new JsonArray([.. inputs.Select(i => (JsonNode)i)]),
            ["attr"] = attr,
        });
        return name;
    }

    /// <summary>Writes model.json and the weights cut into shards of <paramref name="shardBytes"/>; returns the shard paths.</summary>
    public IReadOnlyList<string> Write(int shardBytes = 16)
    {
        var all = _data.SelectMany(d => d).ToArray();
        var count = Math.Max(1, (all.Length + shardBytes - 1) / shardBytes);
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var file = $"group1-shard{i + 1}of{count}";
            File.WriteAllBytes(_folder.File(file), all.AsSpan(Math.Min(i * shardBytes, all.Length), Math.Min(shardBytes, Math.Max(0, all.Length - (i * shardBytes)))).ToArray());
            paths.Add(file);
        }

        var model = new JsonObject
        {
            ["format"] = "graph-model",
            ["generatedBy"] = "2.4.1",
            ["convertedBy"] = "TensorFlow.js Converter v3.21.0",
            ["modelTopology"] = new JsonObject
            {
                ["node"] = _nodes.DeepClone(),
                ["library"] = new JsonObject(),
                ["versions"] = new JsonObject(),
            },
            ["weightsManifest"] = new JsonArray(new JsonObject
            {
                ["paths"] = new JsonArray([.. paths.Select(p => (JsonNode)p)]),
                ["weights"] = _weights.DeepClone(),
            }),
        };
        File.WriteAllText(ModelJson, model.ToJsonString());
        return [.. paths.Select(_folder.File)];
    }

    /// <summary>Writes the model, imports it and runs it on <paramref name="inputs"/>; returns the single output.</summary>
    public OutputTensor Run(string? output = null, TfJsImportOptions? options = null, params Input[] inputs)
    {
        Write();
        var onnx = Import(output, options);
        using var session = new InferenceSession(onnx);
        var values = inputs.Select(i => i.Create()).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [.. inputs.Select(i => i.Name)], values, [session.OutputNames[0]]);
            return OutputTensor.From(results[0]);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    public string Import(string? output = null, TfJsImportOptions? options = null)
    {
        var onnx = _folder.File("model.onnx");
        TfJsGraphImporter.Import(ModelJson, onnx, (options ?? new TfJsImportOptions()) with { OutputNode = output ?? options?.OutputNode });
        return onnx;
    }

    public void Dispose() => _folder.Dispose();

    private string AddWeight(string name, string dtype, string manifestType, long[] shape, byte[] bytes, JsonObject? quantization)
    {
        var spec = new JsonObject
        {
            ["name"] = name,
            ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]),
            ["dtype"] = manifestType,
        };
        if (quantization is not null)
        {
            spec["quantization"] = quantization;
        }

        _weights.Add(spec);
        _data.Add(bytes);
        var tensor = new JsonObject { ["dtype"] = dtype, ["tensorShape"] = Shape(shape) };
        return Op(name, "Const", [], ("dtype", Attr.Type(dtype)), ("value", new JsonObject { ["tensor"] = tensor }));
    }

    private static JsonObject Shape(long[] shape) =>
        new() { ["dim"] = new JsonArray([.. shape.Select(d => (JsonNode)new JsonObject { ["size"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture) })]) };
}
