using System.Text.Json.Nodes;

namespace Quiver.Ingestion.Retrieval;

/// <summary>
/// Where a search hit's text comes from, read from the payload a folder index stores: the file, its lines (text and
/// Markdown), its page (PDF) and heading (Markdown, HTML), or its character offsets for collections indexed before
/// lines were recorded. <see cref="Label"/> reads like a compiler's location: <c>notes/ocean-life.md:4-6 § Whales</c>.
/// </summary>
public sealed record SourceLocation(string Path, int? FirstLine, int? LastLine, int? Page, string? Heading, int? Start, int? End)
{
    /// <summary>The hit's location; the point id stands for the path when the payload has none.</summary>
    public static SourceLocation Of(string id, JsonObject? payload)
    {
        var record = Int(payload, DocumentPayload.Line);
        return new SourceLocation(
            String(payload, DocumentPayload.Path) ?? id,
            Int(payload, DocumentPayload.FirstLine) ?? record,
            Int(payload, DocumentPayload.LastLine) ?? record,
            Int(payload, DocumentPayload.Page),
            String(payload, DocumentPayload.Heading),
            Int(payload, DocumentPayload.Start),
            Int(payload, DocumentPayload.End));
    }

    /// <summary>path:first-last (or path:line), then p. N and § heading when known; chars S-E when no line is.</summary>
    public string Label
    {
        get
        {
            var label = FirstLine is { } first
                ? $"{Path}:{first}{(LastLine is { } last && last != first ? $"-{last}" : string.Empty)}"
                : Path;
            if (Page is { } page)
            {
                label += $" p. {page}";
            }

            if (Heading is not null)
            {
                label += $" § {Heading}";
            }

            if (FirstLine is null && Page is null && Start is { } start && End is { } end)
            {
                label += $" chars {start}-{end}";
            }

            return label;
        }
    }

    // Payloads come from users too: a field of another type is treated as absent, never as an error.
    private static int? Int(JsonObject? payload, string key) =>
        payload?[key] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static string? String(JsonObject? payload, string key) =>
        payload?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
