using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Analysis.Classification;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Server.Security;

namespace Quiver.Server.Classification;

/// <summary>
/// Quiver's classifier routes: <c>GET /classifiers</c>, <c>PUT /classifiers/{name}</c> (train on labelled texts and
/// save) and <c>POST /classifiers/{name}/predict</c> (label texts). Texts are embedded through the same batcher as
/// <c>/v1/embeddings</c>, by the classifier's own model with the document prompt its training vectors were made with,
/// and a model whose space is not the classifier's is refused.
/// </summary>
internal static class ClassifiersEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/classifiers", List).WithName("list_classifiers").WithSummary("The saved classifiers").WithTags("classification")
            .Produces<QdrantResponse<ClassifierDescription[]>>();
        routes.MapPut("/classifiers/{name}", Train).WithName("train_classifier").WithSummary("Train a classifier on labelled texts and save it").WithTags("classification")
            .Accepts<TrainClassifierRequest>("application/json").Produces<QdrantResponse<ClassifierDescription>>().RequiresWrite();
        routes.MapPost("/classifiers/{name}/predict", Predict).WithName("classify_texts").WithSummary("Label texts with a saved classifier: labels and probabilities").WithTags("classification")
            .Accepts<ClassifyRequest>("application/json").Produces<QdrantResponse<ClassifyAnswer>>();
    }

    private static IResult List(HttpContext context, ServedClassifiers classifiers) =>
        QdrantJson.Ok(context, new JsonArray([.. classifiers.Store.List().Select(m => (JsonNode)Describe(m))]));

    private static async Task<IResult> Predict(string name, HttpContext context, ServedClassifiers classifiers, ServedModels models, EmbeddingBatcher batcher, ServerOptions options)
    {
        // The body is checked first, as on every body route: malformed JSON is a 400 whatever the name.
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Classify);
        var saved = classifiers.Get(name);
        var input = request.Input ?? throw ApiException.BadRequest("is required: a string or an array of strings.", "input");
        var texts = Texts(input.Texts, input.IsArray, options.Limits.MaxInputsPerRequest, options.Limits);
        var classes = saved.Classifier.Classes;
        var top = request.Top is { } most ? JsonFields.Within(most, 1, int.MaxValue, "top") : classes.Count;
        var model = models.Get(saved.Manifest.Model);
        saved.RequireSpace(model.Space);
        var vectors = await Embed(batcher, model, saved.Manifest.Space.DocumentPrompt, texts, options, context.RequestAborted);
        var probabilities = saved.Classifier.PredictAll(vectors, cancellationToken: context.RequestAborted);
        var predictions = new JsonArray();
        for (var i = 0; i < texts.Count; i++)
        {
            var ranked = VectorClassifiers.Top(classes, probabilities[i], top);
            predictions.Add(new JsonObject
            {
                ["index"] = i,
                ["label"] = ranked[0].Label,
                ["probability"] = ranked[0].Probability,
                ["top"] = new JsonArray([.. ranked.Select(p => (JsonNode)new JsonObject { ["label"] = p.Label, ["probability"] = p.Probability })]),
            });
        }

        return QdrantJson.Ok(context, new JsonObject { ["classifier"] = name, ["model"] = model.Name, ["predictions"] = predictions });
    }

    private static async Task<IResult> Train(string name, HttpContext context, ServedClassifiers classifiers, ServedModels models, EmbeddingBatcher batcher, ServerOptions options)
    {
        Core.ResourceName.Validate(name, "classifier");
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.TrainClassifier);
        var replace = request.Replace ?? false;
        if (!replace && classifiers.Store.Exists(name))
        {
            throw new ApiException(409, $"A classifier named '{name}' already exists. Send \"replace\": true to train it again, or choose another name.", "name", "classifier_exists");
        }

        var method = request.Method == ClassifierMethodName.Knn ? ClassifierMethod.Knn : ClassifierMethod.Logistic;
        var c = request.C ?? 1.0;
        if (!(c > 0) || double.IsInfinity(c))
        {
            throw ApiException.BadRequest($"{c} is not a penalty strength; give a positive number such as 1.0 (smaller regularises more).", "c");
        }

        var k = request.K is { } neighbours ? JsonFields.Within(neighbours, 1, int.MaxValue, "k") : 5;
        var model = models.Get(request.Model);
        var given = request.Input ?? throw ApiException.BadRequest("is required: an array of strings.", "input");
        var texts = Texts(given, isArray: true, options.Limits.MaxPointsPerRequest, options.Limits);
        var labels = Labels(request.Labels, texts.Count);
        var classes = labels.Distinct(StringComparer.Ordinal).ToList();
        var codes = labels.Select(l => classes.IndexOf(l)).ToArray();
        var vectors = await Embed(batcher, model, model.Space.DocumentPrompt, texts, options, context.RequestAborted);
        var data = new LabelledVectors(vectors, model.Dimensions, codes, classes);
        data.RequireTrainable("The request's labels");
        if (method == ClassifierMethod.Knn && k > data.Count)
        {
            throw ApiException.BadRequest($"k = {k} neighbours, but there are {data.Count} texts; give k from 1 to {data.Count}.", "k");
        }

        var classifier = await Task.Run<IVectorClassifier>(
            () => method == ClassifierMethod.Logistic ? LogisticRegression.Fit(data, new LogisticRegressionOptions { C = c, Threads = Math.Max(1, options.Threads) }, context.RequestAborted) : KnnClassifier.Fit(data, k),
            context.RequestAborted);
        var manifest = classifiers.Store.Save(
            new ClassifierManifest
            {
                Name = name,
                Method = method,
                Model = model.Name,
                Space = model.Space,
                Classes = classes,
                ClassCounts = data.ClassCounts(),
                C = method == ClassifierMethod.Logistic ? c : null,
                K = method == ClassifierMethod.Knn ? k : null,
                Source = "PUT /classifiers",
            },
            classifier,
            replace);
        return QdrantJson.Ok(context, Describe(manifest));
    }

    private static JsonObject Describe(ClassifierManifest m) => new()
    {
        ["name"] = m.Name,
        ["method"] = JsonNamingPolicy.CamelCase.ConvertName(m.Method.ToString()),
        ["model"] = m.Model,
        ["space"] = m.Space.ToString(),
        ["classes"] = new JsonArray([.. m.Classes.Select(c => (JsonNode)c)]),
        ["rows"] = m.ClassCounts.Sum(),
        ["created_at"] = m.CreatedAt,
    };

    // The texts within the server's limits and none empty; an error names the item when the request gave an array.
    private static List<string> Texts(IReadOnlyList<string> given, bool isArray, int max, ServerLimits limits)
    {
        if (given.Count == 0)
        {
            throw ApiException.BadRequest("is an empty array; give at least one text.", "input");
        }

        if (given.Count > max)
        {
            throw ApiException.BadRequest($"has {given.Count} texts; one request takes at most {max}. Split it into several requests.", "input");
        }

        var texts = new List<string>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var path = isArray ? $"input[{i}]" : "input";
            var text = JsonFields.Text(given[i] ?? throw ApiException.BadRequest("must be a string, not null.", path), path, limits);
            texts.Add(string.IsNullOrWhiteSpace(text) ? throw ApiException.BadRequest("is empty; a classifier needs some text to label.", path) : text);
        }

        return texts;
    }

    private static List<string> Labels(string[]? labels, int count)
    {
        if (labels is null)
        {
            throw ApiException.BadRequest("is required: one label (a string) per text of input.", "labels");
        }

        if (labels.Length != count)
        {
            throw ApiException.BadRequest($"has {labels.Length} labels for {count} texts; give one label per text.", "labels");
        }

        return [.. labels.Select((label, i) => string.IsNullOrEmpty(label)
            ? throw ApiException.BadRequest($"must be a non-empty string, not {(label is null ? "null" : "an empty string")}.", $"labels[{i}]")
            : label)];
    }

    private static async Task<float[]> Embed(EmbeddingBatcher batcher, ServedModel model, string? prompt, List<string> texts, ServerOptions options, CancellationToken cancellationToken)
    {
        var results = await batcher.Embed(model, [.. texts.Select(t => EmbeddingInput.Prompted(prompt, t))], options.Truncation, cancellationToken);
        var vectors = new float[(long)texts.Count * model.Dimensions];
        for (var i = 0; i < results.Count; i++)
        {
            results[i].Vector.AsSpan().CopyTo(vectors.AsSpan(i * model.Dimensions, model.Dimensions));
        }

        return vectors;
    }
}
