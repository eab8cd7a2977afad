using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Quiver.Server.Collections;

// The wire shapes of Quiver's re-embedding routes (POST and GET /collections/{name}/reembed).

[Description("Quiver's re-embedding request: make the collection's vectors again from its stored texts with another model.")]
internal sealed class ReembedRequest
{
    [JsonPropertyName("model")]
    [Description("An installed text model (when absent: the collection's own model, for a new revision of it). Its document prompt goes before each text; the same model keeps the prompt the collection recorded.")]
    public string? Model { get; init; }

    [JsonPropertyName("into")]
    [Description("A new collection to hold the new vectors; the source stays as it is. When absent the collection itself switches to them once all are made.")]
    public string? Into { get; init; }

    [JsonPropertyName("drop_textless")]
    [Description("Leave points without text out of the new version (counted and named in the result). When false (the default) such points make the request fail with their count and ids.")]
    public bool? DropTextless { get; init; }

    [JsonPropertyName("force")]
    [Description("Re-embed even when the collection already holds this model's vectors (same revision).")]
    public bool? Force { get; init; }

    [JsonPropertyName("restart")]
    [Description("Discard an unfinished re-embedding of another model or source instead of refusing.")]
    public bool? Restart { get; init; }

    [JsonPropertyName("batch_size")]
    [Range(1, 4096)]
    [Description("Points embedded and written per transaction and checkpoint (64 when absent).")]
    public int? BatchSize { get; init; }
}

[Description("Where a re-embedding is.")]
internal sealed class ReembedStatus
{
    [JsonPropertyName("collection")]
    [Description("The collection that gets the new vectors.")]
    public required string Collection { get; init; }

    [JsonPropertyName("source")]
    public required string Source { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("status")]
    [Description("none (no re-embedding since the server started), running, done, failed, or stopped (the server shut down; request it again to resume from its checkpoint).")]
    public required string Status { get; init; }

    [JsonPropertyName("phase")]
    [Description("starting, re-embedding, indexing, catching up (writes made meanwhile), switching or done.")]
    public required string Phase { get; init; }

    [JsonPropertyName("done")]
    [Description("Points written into the new version by this run.")]
    public required long Done { get; init; }

    [JsonPropertyName("total")]
    [Description("Points this run has to write, as counted when it started.")]
    public required long Total { get; init; }

    [JsonPropertyName("checkpoint")]
    [Description("The source sequence number the new version holds everything up to.")]
    public required long Checkpoint { get; init; }

    [JsonPropertyName("resumed")]
    [Description("Whether this run continues one that stopped.")]
    public required bool Resumed { get; init; }

    [JsonPropertyName("started_at")]
    public string? StartedAt { get; init; }

    [JsonPropertyName("error")]
    [Description("Why it failed or stopped; null otherwise.")]
    public string? Error { get; init; }

    [JsonPropertyName("result")]
    [Description("Once done: what it did.")]
    public ReembedOutcome? Result { get; init; }
}

internal sealed class ReembedOutcome
{
    [JsonPropertyName("points")]
    public required long Points { get; init; }

    [JsonPropertyName("embedded")]
    public required long Embedded { get; init; }

    [JsonPropertyName("reused")]
    [Description("Points changed during the run whose text had not changed, so their new vector was kept.")]
    public required long Reused { get; init; }

    [JsonPropertyName("textless_dropped")]
    public required long TextlessDropped { get; init; }

    [JsonPropertyName("textless_ids")]
    [Description("The first 100 ids of the points left out for having no text.")]
    public required object[] TextlessIds { get; init; }

    [JsonPropertyName("space")]
    public required string Space { get; init; }

    [JsonPropertyName("seconds")]
    public required double Seconds { get; init; }

    [JsonPropertyName("points_per_second")]
    public required double PointsPerSecond { get; init; }
}
