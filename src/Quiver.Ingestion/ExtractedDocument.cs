namespace Quiver.Ingestion;

/// <summary>
/// A file's plain text and its sections. For .txt and .md the text is the decoded file, so offsets point into it;
/// for HTML and PDF it is the extracted text (scripts and markup dropped; pages joined by blank lines).
/// </summary>
public sealed record ExtractedDocument(string Text, string? Title, IReadOnlyList<DocumentSection> Sections)
{
    /// <summary>
    /// Whether <see cref="Text"/> is the file itself, so a chunk's line numbers in it are the file's (true for text and
    /// Markdown; extracted HTML and PDF text has lines of its own that no editor would show).
    /// </summary>
    public bool TextIsFile { get; init; }

    public static ExtractedDocument Plain(string text) => new(text, null, [new DocumentSection(0, text.Length)]);
}
