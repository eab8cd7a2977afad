using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Quiver.Server.Http;

namespace Quiver.Server.Classification;

// The wire shapes of Quiver's classifier routes (saved classifiers: list, train, predict), in Qdrant's envelope: the
// OpenAPI document shows them, and requests are read into them (RequestBody; one text or several by
// ClassifyInputReader). Answers are written by hand.

[Description("Label texts with a saved classifier.")]
internal sealed class ClassifyRequest
{
    [JsonPropertyName("input")]
    [Description("The texts to label: a string or an array of strings (at most the server's inputs per request); none may be empty.")]
    public required ClassifyInput Input { get; init; }

    [JsonPropertyName("top")]
    [Range(1, int.MaxValue)]
    [Description("Labels returned per text, most probable first (all of them when absent).")]
    public int? Top { get; init; }
}

[Description("One text or several.")]
[Operations.Union(typeof(string), typeof(string[]))]
internal sealed class ClassifyInput
{
    /// <summary>The texts, one when the request gave a string (<see cref="ClassifyInputReader"/>).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Texts { get; init; } = [];

    /// <summary>Whether the request gave an array, so an error names the item (input[1]) rather than the field.</summary>
    [JsonIgnore]
    public bool IsArray { get; init; }
}

[Description("Train a classifier on labelled texts and save it under the path's name (embedded by the server's model, as /v1/embeddings does).")]
internal sealed class TrainClassifierRequest
{
    [JsonPropertyName("input")]
    [Expected("an array of strings")]
    [Description("The training texts (at most the server's points per request), none empty.")]
    public required string[] Input { get; init; }

    [JsonPropertyName("labels")]
    [Expected("an array of strings, one per text of input")]
    [Description("One label per text; at least two different labels.")]
    public required string[] Labels { get; init; }

    [JsonPropertyName("model")]
    [Description("The installed text model that embeds the texts (the server's default when absent).")]
    public string? Model { get; init; }

    [JsonPropertyName("method")]
    [Description("logistic (multinomial logistic regression, L2; when absent) or knn.")]
    public ClassifierMethodName? Method { get; init; }

    [JsonPropertyName("c")]
    [Description("Logistic regression: inverse L2 strength, as scikit-learn's C (1.0 when absent).")]
    public double? C { get; init; }

    [JsonPropertyName("k")]
    [Range(1, int.MaxValue)]
    [Description("kNN: neighbours that vote (5 when absent).")]
    public int? K { get; init; }

    [JsonPropertyName("replace")]
    [Description("Replace a classifier of the same name (false when absent: an existing name is a 409).")]
    public bool? Replace { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ClassifierMethodName>))]
internal enum ClassifierMethodName
{
    [JsonStringEnumMemberName("logistic")]
    Logistic,

    [JsonStringEnumMemberName("knn")]
    Knn,
}

[Description("A saved classifier.")]
internal sealed class ClassifierDescription
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("method")]
    [Description("logistic, knn or zeroShot.")]
    public required string Method { get; init; }

    [JsonPropertyName("model")]
    [Description("The installed model that embeds texts for it.")]
    public required string Model { get; init; }

    [JsonPropertyName("space")]
    [Description("The embedding space of its training vectors; texts are embedded in it, and no other.")]
    public required string Space { get; init; }

    [JsonPropertyName("classes")]
    public required string[] Classes { get; init; }

    [JsonPropertyName("rows")]
    [Description("Training rows.")]
    public required int Rows { get; init; }

    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }
}

[Description("Each input's labels, most probable first.")]
internal sealed class ClassifyAnswer
{
    [JsonPropertyName("classifier")]
    public required string Classifier { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("predictions")]
    public required ClassifyPrediction[] Predictions { get; init; }
}

[Description("One input's labels.")]
internal sealed class ClassifyPrediction
{
    [JsonPropertyName("index")]
    public required int Index { get; init; }

    [JsonPropertyName("label")]
    [Description("The most probable label.")]
    public required string Label { get; init; }

    [JsonPropertyName("probability")]
    public required double Probability { get; init; }

    [JsonPropertyName("top")]
    [Description("Labels and probabilities, most probable first; all the labels' probabilities sum to 1.")]
    public required LabelProbability[] Top { get; init; }
}

[Description("A label and its probability.")]
internal sealed class LabelProbability
{
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("probability")]
    public required double Probability { get; init; }
}
