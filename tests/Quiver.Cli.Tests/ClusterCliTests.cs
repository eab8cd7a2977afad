using System.Globalization;
using Quiver.Core.Npy;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

public sealed class ClusterCliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private static readonly string[] Water = ["whale sea ship", "frog toad sea", "ship at sea", "soup whale sea", "toad frog ship", "the sea whale"];
    private static readonly string[] Space = ["rocket moon stars", "stars moon", "moon rocket", "the stars rocket", "rocket stars moon", "moon stars"];

    [Fact]
    public void A_collection_is_clustered_named_and_written_back_into_payloads()
    {
        var docs = Path.Combine(fixture.Root, "cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(docs);
        foreach (var (text, i) in Water.Concat(Space).Select((t, i) => (t, i)))
        {
            File.WriteAllText(Path.Combine(docs, $"{(i < Water.Length ? "water" : "space")}{i:D2}.txt"), text);
        }

        var (code, _, error) = fixture.Run("index", docs, "-c", "topics", "--model", "tiny", "--json");
        Assert.True(code == 0, error);

        var store = new Quiver.Store.Collections.CollectionStore(fixture.Paths.Collections);
        List<Quiver.Store.Collections.Point> before;
        using (var collection = store.Open("topics"))
        {
            before = [.. collection.Scroll(100, withVectors: true).Points];
        }

        (code, var output, error) = fixture.Run("cluster", "-c", "topics", "--k", "2", "--topics", "--write", "--json", "--assignments");
        Assert.True(code == 0, error);

        // The vectors, texts and other payload fields are as they were; only cluster and topic were added.
        using (var collection = store.Open("topics"))
        {
            var after = collection.Scroll(100, withVectors: true).Points;
            Assert.Equal(before.Select(p => p.Id), after.Select(p => p.Id));
            foreach (var (old, now) in before.Zip(after))
            {
                Assert.Equal(old.Vector, now.Vector);
                Assert.Equal(old.Text, now.Text);
                Assert.Equal(old.Payload!["path"]!.GetValue<string>(), now.Payload!["path"]!.GetValue<string>());
                Assert.Equal(old.Payload.Count + 2, now.Payload.Count);
            }
        }

        var json = Json(output);
        Assert.Equal(2, json.GetProperty("clusters").GetInt32());
        Assert.Equal(12, json.GetProperty("payloads_written").GetInt32());
        var topics = json.GetProperty("topics").EnumerateArray().ToList();
        Assert.Equal([6, 6], topics.Select(t => t.GetProperty("size").GetInt32()));
        var names = topics.Select(t => t.GetProperty("topic").GetString()!).ToList();
        Assert.Contains(names, n => n.Contains("sea", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("stars", StringComparison.Ordinal) || n.Contains("moon", StringComparison.Ordinal));

        // The written cluster filters like any payload field, and every point of a cluster came from one kind of file.
        var seaCluster = topics.First(t => t.GetProperty("topic").GetString()!.Contains("sea", StringComparison.Ordinal)).GetProperty("cluster").GetInt32();
        (code, output, error) = fixture.Run("search", "rocket", "-c", "topics", "--mode", "dense", "-k", "20", "--where", $"cluster={seaCluster}", "--json");
        Assert.True(code == 0, error);
        var hits = Json(output).GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(6, hits.Count);
        Assert.All(hits, h => Assert.StartsWith("water", h.GetProperty("payload").GetProperty("path").GetString(), StringComparison.Ordinal));
        Assert.All(hits, h => Assert.Equal(names[topics.FindIndex(t => t.GetProperty("cluster").GetInt32() == seaCluster)], h.GetProperty("payload").GetProperty("topic").GetString()));

        (code, output, error) = fixture.Run("cluster", "-c", "topics", "--k-range", "2..4");
        Assert.True(code == 0, error);
        Assert.Contains("silhouette", output);
        Assert.Contains("k-means: 2 clusters", output);
    }

    [Fact]
    public void A_labelled_csv_is_embedded_and_scored_against_its_labels()
    {
        var csv = Path.Combine(fixture.Root, "labelled-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllLines(csv, ["text,label", .. Water.Select(t => $"{t},water"), .. Space.Select(t => $"\"{t}\",space")]);
        var (code, output, error) = fixture.Run("cluster", "--input", csv, "-m", "tiny", "--k", "2", "--json");
        Assert.True(code == 0, error);
        var json = Json(output);
        Assert.Equal(1.0, json.GetProperty("agreement").GetProperty("v_measure").GetDouble(), 9);
        Assert.Equal(1.0, json.GetProperty("agreement").GetProperty("ari").GetDouble(), 9);

        (code, output, error) = fixture.Run("cluster", "--input", csv, "-m", "tiny", "--density", "--min-cluster-size", "3", "--topics");
        Assert.True(code == 0, error);
        Assert.Contains("hdbscan", output);
    }

    [Fact]
    public void A_npy_matrix_with_a_labels_file_is_clustered()
    {
        var npy = Path.Combine(fixture.Root, "points-" + Guid.NewGuid().ToString("N") + ".npy");
        var labels = Path.ChangeExtension(npy, ".txt");
        using (var writer = NpyMatrixWriter.Create(npy, 2))
        {
            for (var i = 0; i < 30; i++)
            {
                writer.Write([(i % 3) * 10 + (i * 0.01f), (i % 3) * -5f]);
            }
        }

        File.WriteAllLines(labels, Enumerable.Range(0, 30).Select(i => "group" + (i % 3).ToString(CultureInfo.InvariantCulture)));
        var (code, output, error) = fixture.Run("cluster", "--input", npy, "--labels", labels, "--k", "3", "--json", "--assignments");
        Assert.True(code == 0, error);
        var json = Json(output);
        Assert.Equal(1.0, json.GetProperty("agreement").GetProperty("ari").GetDouble(), 9);
        Assert.Equal(30, json.GetProperty("assignments").GetProperty("clusters").GetArrayLength());

        // Choosing k draws each k's silhouette and inertia; a fixed k has nothing to draw.
        var chart = Path.ChangeExtension(npy, ".k.png");
        (code, _, error) = fixture.Run("cluster", "--input", npy, "--k-range", "2..5", "--plot", chart);
        Assert.True(code == 0, error);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(chart)[..4]);
        (code, _, error) = fixture.Run("cluster", "--input", npy, "--k", "3", "--plot", chart);
        Assert.Equal(1, code);
        Assert.Contains("--plot draws how each k scored while k is chosen", error);
        (code, _, error) = fixture.Run("cluster", "--input", npy, "--plot", Path.ChangeExtension(npy, ".gif"));
        Assert.Equal(1, code);
        Assert.Contains("name the plot file .png or .svg", error);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_fix()
    {
        var csv = Path.Combine(fixture.Root, "bad-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllLines(csv, ["body,topic", "whale sea,water", "rocket moon,water", "stars,water"]);
        var (code, _, error) = fixture.Run("cluster", "--input", csv, "-m", "tiny", "--k", "2");
        Assert.Equal(1, code);
        Assert.Contains("no column 'text' (its columns: body, topic)", error);
        Assert.Contains("--text-column", error);

        (code, _, error) = fixture.Run("cluster", "--input", csv, "-m", "tiny", "--text-column", "body", "--label-column", "topic", "--k", "2");
        Assert.Equal(1, code);
        Assert.Contains("every point", error);
        Assert.Contains("'water'", error);

        (code, _, error) = fixture.Run("cluster", "--input", csv, "-m", "tiny", "--text-column", "body", "--k", "5");
        Assert.Equal(1, code);
        Assert.Contains("3 points, fewer than the 5", error);

        (code, _, error) = fixture.Run("cluster", "--input", csv, "--text-column", "body", "-m", "tiny", "--write");
        Assert.Equal(1, code);
        Assert.Contains("--write", error);

        (code, _, error) = fixture.Run("cluster", "--input", csv, "--text-column", "body", "-m", "tiny", "--labels", csv, "--k", "2");
        Assert.Equal(1, code);
        Assert.Contains("--label-column", error);

        (code, _, error) = fixture.Run("cluster", "--k", "2");
        Assert.Equal(1, code);
        Assert.Contains("-c NAME", error);

        var empty = Path.Combine(fixture.Root, "empty-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllLines(empty, ["text,label"]);
        (code, _, error) = fixture.Run("cluster", "--input", empty, "-m", "tiny", "--k", "2");
        Assert.Equal(1, code);
        Assert.Contains("no rows", error);
    }

    [Fact]
    public void Collections_of_different_spaces_are_not_mixed()
    {
        var (code, _, error) = fixture.Run("models", "install", "tiny-copy", "--file", fixture.VectorsFile);
        Assert.True(code == 0, error);
        foreach (var (name, model) in new[] { ("mix-a", "tiny"), ("mix-b", "tiny-copy") })
        {
            var folder = Path.Combine(fixture.Root, name + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "a.txt"), "whale sea");
            File.WriteAllText(Path.Combine(folder, "b.txt"), "rocket moon");
            (code, _, error) = fixture.Run("index", folder, "-c", name, "--model", model);
            Assert.True(code == 0, error);
        }

        (code, _, error) = fixture.Run("cluster", "-c", "mix-a", "-c", "mix-b", "--k", "2");
        Assert.Equal(1, code);
        Assert.Contains("different embedding spaces", error);
        Assert.Contains("tiny-copy", error);
    }
}
