using System.Text.Json.Nodes;
using Quiver.Analysis.Classification;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Server.Tests;

/// <summary>GET /classifiers, PUT /classifiers/{name} and POST /classifiers/{name}/predict on the fixture's models.</summary>
public sealed class ClassifiersApiTests : IAsyncLifetime
{
    private static readonly string[] Texts =
    [
        "the whale swims in the sea", "a ship sails on the sea", "the whale of the sea", "a ship of the sea", "the sea is a pond",
        "the cat sat on the mat", "a dog barks", "the dog sat", "the cat jumps", "the mat of the cat",
    ];

    private static readonly string[] Labels = ["sea", "sea", "sea", "sea", "sea", "home", "home", "home", "home", "home"];

    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFixture();
        await _server.Ok(_server.Put("/classifiers/places", new { input = Texts, labels = Labels, model = "words" }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Folder(string name) => Path.Combine(_server.Paths.Classifiers, name);

    [Fact]
    public async Task A_classifier_trained_over_http_labels_texts_with_probabilities_that_sum_to_one()
    {
        var answer = (await _server.Ok(_server.Post("/classifiers/places/predict", new { input = new[] { "a whale in the sea", "a cat on the mat" } })))["result"]!;

        Assert.Equal("words", answer["model"]!.GetValue<string>());
        var predictions = answer["predictions"]!.AsArray();
        Assert.Equal("sea", predictions[0]!["label"]!.GetValue<string>());
        Assert.Equal("home", predictions[1]!["label"]!.GetValue<string>());
        foreach (var prediction in predictions)
        {
            var top = prediction!["top"]!.AsArray();
            Assert.Equal(2, top.Count);
            Assert.Equal(1.0, top.Sum(p => p!["probability"]!.GetValue<double>()), 6);
            Assert.Equal(prediction["probability"]!.GetValue<double>(), top[0]!["probability"]!.GetValue<double>());
        }

        var one = (await _server.Ok(_server.Post("/classifiers/places/predict", new { input = "the dog barks", top = 1 })))["result"]!;
        Assert.Single(one["predictions"]![0]!["top"]!.AsArray());

        var list = (await _server.Ok(_server.Get("/classifiers")))["result"]!.AsArray();
        Assert.Equal("places", list.Single()!["name"]!.GetValue<string>());
        Assert.Equal(10, list.Single()!["rows"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_server_predicts_what_the_library_computes_from_the_same_embeddings()
    {
        var model = _server.App.Services.GetService(typeof(Embeddings.ServedModels)) as Embeddings.ServedModels;
        var vector = (await model!.Get("words").Generator.GenerateAsync(["a frog jumps in the pond"]))[0].Vector.ToArray();
        var expected = new double[2];
        new ClassifierStore(_server.Paths.Classifiers).Open("places").Classifier.Predict(vector, expected);

        var answer = (await _server.Ok(_server.Post("/classifiers/places/predict", new { input = new[] { "a frog jumps in the pond" } })))["result"]!;

        var top = answer["predictions"]![0]!["top"]!.AsArray().ToDictionary(p => p!["label"]!.GetValue<string>(), p => p!["probability"]!.GetValue<double>());
        Assert.Equal(expected[0], top["sea"], 9);
        Assert.Equal(expected[1], top["home"], 9);
    }

    [Fact]
    public async Task A_classifier_of_another_space_is_refused_naming_both()
    {
        // Saved as if trained in a space the model 'words' does not produce (another model's vectors of the same size).
        var store = new ClassifierStore(_server.Paths.Classifiers);
        var places = store.Open("places");
        var dimensions = places.Manifest.Space.Dimensions;
        var data = new LabelledVectors([.. Enumerable.Range(0, dimensions * 2).Select(i => i % (dimensions + 1) == 0 ? 1f : 0f)], dimensions, [0, 1], ["x", "y"]);
        store.Save(places.Manifest with { Name = "foreign", Space = new EmbeddingSpace(new ModelReference("glove-100", "sif", "beef"), dimensions, DistanceMetric.Cosine, true) }, LogisticRegression.Fit(data));

        var (status, body) = await _server.Post("/classifiers/foreign/predict", new { input = new[] { "a whale" } });

        Assert.Equal(400, status);
        var message = body!["status"]!["error"]!.GetValue<string>();
        Assert.Contains("'foreign' was trained on vectors of glove-100/sif@beef", message);
        Assert.Contains("words", message);
    }

    [Fact]
    public async Task Empty_text_an_unknown_classifier_and_bad_training_requests_are_refused_and_nothing_is_stored()
    {
        var empty = await _server.Post("/classifiers/places/predict", new { input = new[] { "a whale", " " } });
        var unknown = await _server.Post("/classifiers/plcaes/predict", new { input = "a whale" });
        var single = await _server.Put("/classifiers/one", new { input = Texts, labels = Labels.Select(_ => "sea").ToArray() });
        var count = await _server.Put("/classifiers/short", new { input = Texts, labels = Labels[..3] });
        var exists = await _server.Put("/classifiers/places", new { input = Texts, labels = Labels, method = "knn" });
        var method = await _server.Put("/classifiers/svm", new { input = Texts, labels = Labels, method = "svm" });

        Assert.Equal(400, empty.Status);
        Assert.Contains("input[1]", empty.Body!.ToJsonString());
        Assert.Contains("is empty", empty.Body!.ToJsonString());
        Assert.Equal(404, unknown.Status);
        Assert.Contains("There is no classifier named 'plcaes'", unknown.Body!["status"]!["error"]!.GetValue<string>());
        Assert.Equal(400, single.Status);
        Assert.Contains("at least two different labels", single.Body!.ToJsonString());
        Assert.Equal(400, count.Status);
        Assert.Contains("3 labels for 10 texts", count.Body!.ToJsonString());
        Assert.Equal(409, exists.Status);
        Assert.Contains("\\u0022replace\\u0022: true", exists.Body!.ToJsonString());
        Assert.Equal(400, method.Status);
        Assert.False(Directory.Exists(Folder("one")) || Directory.Exists(Folder("short")) || Directory.Exists(Folder("svm")));
        Assert.DoesNotContain(Directory.EnumerateDirectories(_server.Paths.Classifiers), d => Path.GetFileName(d).StartsWith('.'));
        Assert.Equal("logistic", (await _server.Ok(_server.Get("/classifiers")))["result"]![0]!["method"]!.GetValue<string>());

        var replaced = await _server.Ok(_server.Put("/classifiers/places", new { input = Texts, labels = Labels, method = "knn", k = 3, replace = true }));
        Assert.Equal("knn", replaced["result"]!["method"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"labels": ["sea", "home"]}""", "input: is required")]
    [InlineData("""{"input": "the whale swims", "labels": ["sea"]}""", "input: must be an array of strings, not a string.")]
    [InlineData("""{"input": [], "labels": []}""", "input: is an empty array")]
    [InlineData("""{"input": ["the whale swims", null], "labels": ["sea", "home"]}""", "input[1]: must be a string, not null.")]
    [InlineData("""{"input": ["the whale swims", "  "], "labels": ["sea", "home"]}""", "input[1]: is empty")]
    [InlineData("""{"input": ["the whale swims", "a cat"]}""", "labels: is required")]
    [InlineData("""{"input": ["the whale swims", "a cat"], "labels": {"a": 1}}""", "labels: must be an array of strings, one per text of input, not an object.")]
    [InlineData("""{"input": ["the whale swims", "a cat"], "labels": ["sea", ""]}""", "labels[1]: must be a non-empty string, not an empty string.")]
    [InlineData("""{"input": ["the whale swims", "a cat"], "labels": ["sea", null]}""", "labels[1]: must be a non-empty string, not null.")]
    [InlineData("""{"input": ["the whale swims", "a cat"], "labels": ["sea", "home"], "k": 0, "method": "knn"}""", "k: must be from 1 to 2147483647; it is 0.")]
    [InlineData("""{"input": ["the whale swims", "a cat"], "labels": ["sea", "home"], "k": 3, "method": "knn"}""", "k: k = 3 neighbours, but there are 2 texts")]
    [InlineData("""{"input": ["the whale swims", "a cat"], "labels": ["sea", "home"], "c": -1}""", "c: -1 is not a penalty strength")]
    [InlineData("""{"input": ["the whale swims", "a cat"], "labels": ["sea", "home"], "method": "svm"}""", "method: 'svm' is not a classifier method; use logistic or knn.")]
    [InlineData("""{"input": ["the whale swims", "a cat"], "labels": ["sea", "home"], "replace": 1}""", "replace: must be true or false, not a number.")]
    public async Task A_bad_training_request_is_a_400_naming_the_field_and_saves_nothing(string json, string expected)
    {
        var (status, body) = await _server.Send(HttpMethod.Put, "/classifiers/fresh", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Folder("fresh")));
    }

    [Theory]
    [InlineData("""{}""", "input: is required")]
    [InlineData("""{"input": 3}""", "input: must be a string or an array of strings, not a number.")]
    [InlineData("""{"input": ["a whale", 3]}""", "input[1]: must be a string, not a number.")]
    [InlineData("""{"input": []}""", "input: is an empty array")]
    [InlineData("""{"input": ""}""", "input: is empty")]
    [InlineData("""{"input": "a whale", "top": 0}""", "top: must be from 1 to 2147483647; it is 0.")]
    [InlineData("""{"input": "a whale", "top": "1"}""", "top: must be a whole number, not a string.")]
    public async Task A_bad_classify_request_is_a_400_naming_the_field(string json, string expected)
    {
        var (status, body) = await _server.Send(HttpMethod.Post, "/classifiers/places/predict", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
