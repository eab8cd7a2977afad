namespace Quiver.Store.Ingestion;

/// <summary>
/// A file's plain text and its sections. For .txt and .md the text is the decoded file, so offsets point into it;
/// for HTML and PDF it is the extracted text (scripts and markup dropped; pages joined by blank lines).
/// </summary>
public sealed record ExtractedDocument(string Text, string? Title, IReadOnlyList<DocumentSection> Sections)
{
    public static ExtractedDocument Plain(string text) => new(text, null, [new DocumentSection(0, text.Length)]);
}
