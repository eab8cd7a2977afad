namespace Quiver.Ingestion;

/// <summary>A chunk of a document: its text, its [Start, End) offsets in the document's text, and where it sits.</summary>
public sealed record DocumentChunk(string Text, int Start, int End, string? Heading, int? Page);
