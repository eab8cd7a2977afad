using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tokenization;
using Quiver.Server;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary>
/// <c>quiver models add</c> against Quiver's own server on a loopback port, serving a random-weight BERT from the same
/// home: the remote model then embeds, indexes, searches and evaluates like the local one, with the same vectors.
/// </summary>
public sealed class RemoteModelCliTests : IAsyncLifetime
{
    private static readonly string[] Words = ["the", "a", "whale", "ship", "sea", "swims", "sails", "frog", "pond", "jumps", "in", "of", "on", "cat", "mat", "sat", "."];

    private readonly CliFixture _cli = new();
    private WebApplication _server = null!;
    private string _baseUrl = null!;

    public async Task InitializeAsync()
    {
        var vocabulary = new WordPieceVocabulary(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Words]);
        var folder = Path.Combine(_cli.Root, "tiny-bert");
        SyntheticBert.WriteFolder(folder, new SyntheticBertOptions { VocabSize = vocabulary.Count, InitStd = 0.2, Seed = 7 }, vocabulary, maxLength: 16);
        var (code, _, error) = _cli.Run("models", "install", folder, "--name", "bert");
        Assert.True(code == 0, error);
        _server = QuiverServer.Build(new ServerOptions { Paths = _cli.Paths, Urls = "http://127.0.0.1:0", DefaultModel = "bert" });
        await _server.StartAsync();
        _baseUrl = _server.Urls.First().TrimEnd('/') + "/v1";
    }

    public async Task DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        _cli.Dispose();
    }

    private float[][] Embed(string model, params string[] texts)
    {
        var (code, output, error) = _cli.Run(["embed", .. texts, "--model", model]);
        Assert.True(code == 0, error);
        return [.. Json(output).GetProperty("embeddings").EnumerateArray().Select(e => e.GetProperty("vector").EnumerateArray().Select(x => x.GetSingle()).ToArray())];
    }

    private void AssertNothingStored(string name)
    {
        Assert.False(Directory.Exists(Path.Combine(_cli.Paths.Models, name)));
        Assert.False(Directory.Exists(Path.Combine(_cli.Paths.Models, name + ".installing")));
    }

    [Fact]
    public void An_added_endpoint_embeds_indexes_searches_and_evaluates_like_the_served_model()
    {
        var (code, output, error) = _cli.Run("models", "add", "far", "--openai-base-url", _baseUrl, "--remote-model", "bert", "--dimensions", "32", "--max-batch", "2", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("remote", Json(output).GetProperty("kind").GetString());
        Assert.Equal(32, Json(output).GetProperty("dimensions").GetInt32());

        (code, output, error) = _cli.Run("models", "list", "--json");
        Assert.True(code == 0, error);
        var listed = Json(output).GetProperty("installed").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "far");
        Assert.Contains(_baseUrl, listed.GetProperty("source").GetString(), StringComparison.Ordinal);

        string[] texts = ["the whale swims", "a cat sat on the mat", "the frog jumps in the pond of the sea of the ship of the cat of the mat ."];
        var local = Embed("bert", texts);
        var remote = Embed("far", texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var worst = local[i].Zip(remote[i], (l, r) => Math.Abs(l - r)).Max();
            Assert.True(worst <= 1e-5, $"text {i}: max |difference| {worst} > 1e-5");
        }

        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "sea.txt"), "the whale swims in the sea.");
        File.WriteAllText(Path.Combine(docs, "pond.txt"), "a frog jumps in the pond.");
        (code, _, error) = _cli.Run("index", docs, "--collection", "notes", "--model", "far");
        Assert.True(code == 0, error);
        (code, output, error) = _cli.Run("search", "a frog jumps in the pond.", "--collection", "notes", "-k", "1", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("pond.txt", Json(output).GetProperty("hits")[0].GetProperty("payload").GetProperty("path").GetString());

        var sts = Path.Combine(_cli.Root, "sts.csv");
        File.WriteAllLines(sts, ["g\tf\ty\t1\t5.0\tthe whale swims\tthe whale swims", "g\tf\ty\t2\t0.5\tthe whale swims\ta frog jumps", "g\tf\ty\t3\t4.0\tthe cat sat\tthe cat sat on the mat"]);
        (code, output, error) = _cli.Run("eval", "sts", sts, "--model", "far", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(3, Json(output).GetProperty("results")[0].GetProperty("pairs").GetInt32());
    }

    [Fact]
    public void Add_refuses_a_missing_key_variable_an_unreachable_url_or_another_size_and_stores_nothing()
    {
        var variable = "QUIVER_TEST_KEY_" + Guid.NewGuid().ToString("N");
        var (code, _, error) = _cli.Run("models", "add", "keyed", "--openai-base-url", _baseUrl, "--remote-model", "bert", "--api-key-env", variable);
        Assert.Equal(1, code);
        Assert.Contains(variable, error, StringComparison.Ordinal);
        Assert.Contains("'keyed'", error, StringComparison.Ordinal);
        AssertNothingStored("keyed");

        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        (code, _, error) = _cli.Run("models", "add", "dead", "--openai-base-url", $"http://127.0.0.1:{port}/v1", "--remote-model", "bert");
        Assert.Equal(1, code);
        Assert.Contains("Cannot reach", error, StringComparison.Ordinal);
        AssertNothingStored("dead");

        (code, _, error) = _cli.Run("models", "add", "sized", "--openai-base-url", _baseUrl, "--remote-model", "bert", "--dimensions", "1536");
        Assert.Equal(1, code);
        Assert.Contains("--dimensions 32", error, StringComparison.Ordinal);
        AssertNothingStored("sized");

        (code, _, error) = _cli.Run("models", "add", "nowhere", "--openai-base-url", _baseUrl, "--remote-model", "no-such-model");
        Assert.Equal(1, code);
        Assert.Contains("404", error, StringComparison.Ordinal);
        AssertNothingStored("nowhere");
    }
}
