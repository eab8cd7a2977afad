using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Quiver.Catalogue.Import.TfJs;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// Writes small TensorFlow.js layers models as tfjs-layers saves them (model.json with a Keras functional config,
/// float32 weights named "{layer}/{weight}" in one shard), imports them and runs the ONNX model.
/// </summary>
internal sealed class TfJsLayersModelFixture : IDisposable
{
    private readonly JsonArray _layers = [];
    private readonly JsonArray _weights = [];
    private readonly MemoryStream _data = new();
    private readonly TemporaryFolder _folder = new();

    public string Folder => _folder.Path;

    public string ModelJson => _folder.File("model.json");

    public string Input(string name, params long?[] shape) =>
        Layer(name, "InputLayer", new JsonObject { ["batch_input_shape"] = new JsonArray([null, .. shape.Select(d => (JsonNode?)d)]), ["dtype"] = "float32" });

    /// <summary>Adds a layer reading <paramref name="inputs"/>, with its config's name set, and returns its name.</summary>
    public string Layer(string name, string className, JsonObject config, params string[] inputs)
    {
        config["name"] = name;
        _layers.Add(new JsonObject
        {
            ["name"] = name,
            ["class_name"] = className,
            ["config"] = config,
            ["inbound_nodes"] = inputs.Length == 0 ? new JsonArray() : new JsonArray(new JsonArray([.. inputs.Select(i => (JsonNode)new JsonArray(i, 0, 0, new JsonObject()))])),
        });
        return name;
    }

    public void Weight(string layer, string weight, float[] values, params long[] shape)
    {
        _weights.Add(new JsonObject { ["name"] = $"{layer}/{weight}", ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]), ["dtype"] = "float32" });
        Span<byte> bytes = stackalloc byte[4];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            _data.Write(bytes);
        }
    }

    /// <summary>Writes model.json and its shard; the last layer added is the model's output.</summary>
    public string Save()
    {
        var inputs = _layers.Where(l => (string?)l!["class_name"] == "InputLayer").Select(l => (JsonNode)new JsonArray((string)l!["name"]!, 0, 0));
        var model = new JsonObject
        {
            ["format"] = "layers-model",
            ["modelTopology"] = new JsonObject
            {
                ["class_name"] = "Model",
                ["config"] = new JsonObject
                {
                    ["name"] = "fixture",
                    ["layers"] = _layers.DeepClone(),
                    ["input_layers"] = new JsonArray([.. inputs]),
                    ["output_layers"] = new JsonArray(new JsonArray((string)_layers[^1]!["name"]!, 0, 0)),
                },
            },
            ["weightsManifest"] = new JsonArray(new JsonObject { ["paths"] = new JsonArray("group1-shard1of1.bin"), ["weights"] = _weights.DeepClone() }),
        };
        File.WriteAllText(ModelJson, model.ToJsonString());
        File.WriteAllBytes(_folder.File("group1-shard1of1.bin"), _data.ToArray());
        return ModelJson;
    }

    /// <summary>Imports the saved model and runs it on one NHWC (or [batch, features]) float input.</summary>
    public OutputTensor Run(float[] input, long[] shape, TfJsLayersImportOptions? options = null)
    {
        var onnx = _folder.File("model.onnx");
        TfJsLayersImporter.Import(TfJsLayersModel.Load(Save()), onnx, options ?? new TfJsLayersImportOptions());
        return RunOnnx(onnx, input, shape);
    }

    public static OutputTensor RunOnnx(string onnx, float[] input, long[] shape)
    {
        using var session = new InferenceSession(onnx);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["pixel_values"], [value], ["image_embedding"]);
        return OutputTensor.From(results[0]);
    }

    /// <summary>A browserify standalone bundle of one module exporting <paramref name="literal"/>, as nsfwjs's files are.</summary>
    public static string Bundle(string global, string literal) => new StringBuilder()
        .Append("!function(e){if(\"object\"==typeof exports&&\"undefined\"!=typeof module)module.exports=e();else{(\"undefined\"!=typeof window?window:this).")
        .Append(global)
        .Append("=e()}}(function(){return function e(a,n,i){function l(_,o){return n[_].exports}return l}({1:[function(e,a,n){a.exports=")
        .Append(literal)
        .Append("},{}]},{},[1])(1)});")
        .ToString();

    /// <summary>
    /// Saves the model as nsfwjs ships one: model.min.js and group1-shard1of1.min.js in <paramref name="folder"/>, each a
    /// browserify bundle, the topology as a script literal and the shard as base64.
    /// </summary>
    public void SaveScriptBundles(string folder)
    {
        var json = File.ReadAllText(Save()).Replace("group1-shard1of1.bin", "group1-shard1of1", StringComparison.Ordinal);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "model.min.js"), Bundle("model", json));
        var shard = Convert.ToBase64String(File.ReadAllBytes(_folder.File("group1-shard1of1.bin")));
        File.WriteAllText(Path.Combine(folder, "group1-shard1of1.min.js"), Bundle("group1_shard1of1", $"\"{shard}\""));
    }

    public void Dispose()
    {
        _data.Dispose();
        _folder.Dispose();
    }
}
