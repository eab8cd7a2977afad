using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Models.Pooling;

namespace Quiver.Models.Tests.Onnx;

public sealed class ModelFolderTests(TransformerModelFixture fixture) : IClassFixture<TransformerModelFixture>
{
    [Fact]
    public void A_complete_folder_loads_with_its_sentence_transformers_settings()
    {
        var model = TransformerModelFolder.Load(fixture.Folder);
        Assert.EndsWith(Path.Combine("onnx", "model.onnx"), model.ModelPath);
        Assert.Equal(PoolingMode.Mean, model.Pooling);
        Assert.True(model.Normalize);
        Assert.Equal(512, model.MaxLength);
        Assert.Equal(32, model.HiddenSize);
        Assert.Equal("bert", model.ModelType);
        Assert.Equal(64, model.ComputeRevision().Length);
    }

    [Fact]
    public void Missing_model_file_is_named_with_both_expected_places()
    {
        var folder = fixture.CopyFolder();
        File.Delete(Path.Combine(folder, "onnx", "model.onnx"));
        var error = Assert.Throws<ModelFolderException>(() => TransformerModelFolder.Load(folder));
        Assert.Contains("model.onnx", error.Message);
        Assert.Contains("onnx/model.onnx", error.Message);
    }

    [Fact]
    public void A_model_at_the_top_level_is_found_too()
    {
        var folder = fixture.CopyFolder();
        File.Move(Path.Combine(folder, "onnx", "model.onnx"), Path.Combine(folder, "model.onnx"));
        Assert.Equal(Path.Combine(folder, "model.onnx"), TransformerModelFolder.Load(folder).ModelPath);
    }

    [Fact]
    public void Missing_tokenizer_names_the_files_expected()
    {
        var folder = fixture.CopyFolder();
        File.Delete(Path.Combine(folder, "tokenizer.json"));
        File.Delete(Path.Combine(folder, "vocab.txt"));
        var error = Assert.Throws<ModelFolderException>(() => TransformerModelFolder.Load(folder));
        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("vocab.txt", error.Message);
    }

    [Fact]
    public void Vocab_txt_with_tokenizer_config_serves_when_tokenizer_json_is_absent()
    {
        var folder = fixture.CopyFolder();
        File.Delete(Path.Combine(folder, "tokenizer.json"));
        using var fromVocab = TransformerEncoder.Open(folder);
        using var fromJson = TransformerEncoder.Open(fixture.Folder);
        const string text = "Héllo [MASK] wörld 日本";
        Assert.Equal(fromJson.Tokenize(text).Ids, fromVocab.Tokenize(text).Ids);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("1_Pooling/config.json")]
    [InlineData("modules.json")]
    [InlineData("tokenizer.json")]
    public void Broken_json_is_reported_with_the_file(string file)
    {
        var folder = fixture.CopyFolder();
        File.WriteAllText(Path.Combine(folder, file), "{ not json");
        var error = Assert.Throws<ModelFolderException>(() => TransformerModelFolder.Load(folder));
        Assert.EndsWith(file.Replace('/', Path.DirectorySeparatorChar), error.File);
    }

    [Fact]
    public void Missing_config_json_is_named()
    {
        var folder = fixture.CopyFolder();
        File.Delete(Path.Combine(folder, "config.json"));
        var error = Assert.Throws<ModelFolderException>(() => TransformerModelFolder.Load(folder));
        Assert.EndsWith("config.json", error.File);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void Pooling_dimension_that_disagrees_with_hidden_size_is_refused()
    {
        var folder = fixture.CopyFolder();
        Edit(Path.Combine(folder, "1_Pooling", "config.json"), j => j["word_embedding_dimension"] = 384);
        var error = Assert.Throws<ModelFolderException>(() => TransformerModelFolder.Load(folder));
        Assert.Contains("384", error.Message);
        Assert.Contains("32", error.Message);
    }

    [Fact]
    public void A_tokenizer_larger_than_the_embedding_table_is_refused()
    {
        var folder = fixture.CopyFolder();
        Edit(Path.Combine(folder, "config.json"), j => j["vocab_size"] = 1000);
        var error = Assert.Throws<ModelFolderException>(() => TransformerModelFolder.Load(folder));
        Assert.Contains("30,522", error.Message);
        Assert.Contains("1,000", error.Message);
    }

    [Fact]
    public void Two_pooling_modes_at_once_are_refused()
    {
        var folder = fixture.CopyFolder();
        Edit(Path.Combine(folder, "1_Pooling", "config.json"), j => j["pooling_mode_cls_token"] = true);
        var error = Assert.Throws<ModelFolderException>(() => TransformerModelFolder.Load(folder));
        Assert.Contains("exactly one", error.Message);
    }

    [Fact]
    public void An_unsupported_module_is_named()
    {
        var folder = fixture.CopyFolder();
        var modules = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "modules.json")))!;
        modules.Add(new JsonObject { ["idx"] = 3, ["name"] = "3", ["path"] = "3_Dense", ["type"] = "sentence_transformers.models.Dense" });
        File.WriteAllText(Path.Combine(folder, "modules.json"), modules.ToJsonString());
        var error = Assert.Throws<ModelFolderException>(() => TransformerModelFolder.Load(folder));
        Assert.Contains("sentence_transformers.models.Dense", error.Message);
    }

    [Fact]
    public void A_default_prompt_that_does_not_exist_is_refused()
    {
        var folder = fixture.CopyFolder();
        Edit(Path.Combine(folder, "config_sentence_transformers.json"), j =>
        {
            j["prompts"] = new JsonObject { ["query"] = "query: " };
            j["default_prompt_name"] = "passage";
        });
        var error = Assert.Throws<ModelFolderException>(() => TransformerModelFolder.Load(folder));
        Assert.Contains("passage", error.Message);
        Assert.Contains("query", error.Message);
    }

    [Fact]
    public void Max_seq_length_from_sentence_bert_config_limits_the_input()
    {
        var folder = fixture.CopyFolder();
        File.WriteAllText(Path.Combine(folder, "sentence_bert_config.json"), """{"max_seq_length": 128, "do_lower_case": false}""");
        Assert.Equal(128, TransformerModelFolder.Load(folder).MaxLength);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_reported_by_onnx_runtime_with_the_path()
    {
        var folder = fixture.CopyFolder();
        File.WriteAllBytes(Path.Combine(folder, "onnx", "model.onnx"), [1, 2, 3, 4, 5]);
        var error = Assert.Throws<ModelFolderException>(() => TransformerEncoder.Open(folder));
        Assert.EndsWith("model.onnx", error.File);
    }

    [Fact]
    public void Config_hidden_size_that_disagrees_with_the_graph_is_refused()
    {
        var folder = fixture.CopyFolder();
        Edit(Path.Combine(folder, "config.json"), j => j["hidden_size"] = 64);
        Edit(Path.Combine(folder, "1_Pooling", "config.json"), j => j["word_embedding_dimension"] = 64);
        var error = Assert.Throws<ModelFolderException>(() => TransformerEncoder.Open(folder));
        Assert.Contains("hidden_size 64", error.Message);
    }

    [Fact]
    public async Task An_installed_folder_becomes_a_text_model_with_its_own_space()
    {
        using var home = new TemporaryFolder();
        var paths = new QuiverPaths(home.Path);
        var manifest = new ModelInstaller(paths).InstallFolder("tiny", fixture.Folder, force: false, progress: null);
        Assert.Equal(TransformerModel.Kind, manifest.Kind);
        Assert.Equal(32, manifest.Dimensions);
        Assert.Equal(TransformerModelFolder.Load(fixture.Folder).ComputeRevision(), manifest.Revision);

        using var mean = InstalledModels.OpenTextGenerator(paths, "tiny");
        using var cls = InstalledModels.OpenTextGenerator(paths, "tiny", "cls");
        var meanSpace = mean.GetService<EmbeddingSpace>()!;
        var clsSpace = cls.GetService<EmbeddingSpace>()!;
        Assert.Equal("tiny/mean", meanSpace.ModelId);
        Assert.False(meanSpace.Accepts(clsSpace));
        var generated = await mean.GenerateAsync(["hello world", string.Join(' ', Enumerable.Repeat("long", 600))]);
        Assert.Equal(4, generated[0].AdditionalProperties!["tokens"]);
        Assert.Equal(602 - 512, generated[1].AdditionalProperties!["truncated_tokens"]);
        Assert.Equal(4 + 512, generated.Usage!.InputTokenCount);

        var again = Assert.Throws<QuiverException>(() => new ModelInstaller(paths).InstallFolder("tiny", fixture.Folder, force: false, progress: null));
        Assert.Contains("--force", again.Message);
        Assert.Throws<QuiverException>(() => InstalledModels.OpenTextGenerator(paths, "tiny", "sif"));
    }

    [Fact]
    public void A_broken_folder_is_not_installed()
    {
        using var home = new TemporaryFolder();
        var paths = new QuiverPaths(home.Path);
        var folder = fixture.CopyFolder();
        File.Delete(Path.Combine(folder, "config.json"));
        Assert.Throws<ModelFolderException>(() => new ModelInstaller(paths).InstallFolder("broken", folder, force: false, progress: null));
        Assert.False(InstalledModels.IsInstalled(paths, "broken"));
    }

    private static void Edit(string path, Action<JsonObject> edit)
    {
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}
