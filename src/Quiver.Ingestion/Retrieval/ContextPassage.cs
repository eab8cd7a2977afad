namespace Quiver.Ingestion.Retrieval;

/// <summary>A passage for a prompt with its citation: where it comes from (path, title, heading, page, character offsets).</summary>
public sealed record ContextPassage(
    int Number,
    string Id,
    string? Path,
    string? Title,
    string? Heading,
    int? Page,
    int? Start,
    int? End,
    float Score,
    string Text,
    int Tokens)
{
    /// <summary>"[n] path, p. 3, "Heading", chars 120-480".</summary>
    public string Citation
    {
        get
        {
            var parts = new List<string> { Path ?? Id };
            if (Page is { } page)
            {
                parts.Add($"p. {page}");
            }

            if (Heading is not null)
            {
                parts.Add($"\"{Heading}\"");
            }

            if (Start is { } start && End is { } end)
            {
                parts.Add($"chars {start}-{end}");
            }

            return $"[{Number}] {string.Join(", ", parts)}";
        }
    }
}
