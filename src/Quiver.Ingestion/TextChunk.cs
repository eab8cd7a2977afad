namespace Quiver.Ingestion;

/// <summary>A piece of a document: its text and its [Start, End) character offsets in the decoded file.</summary>
public readonly record struct TextChunk(string Text, int Start, int End);
