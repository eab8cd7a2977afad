namespace Quiver.Ingestion;

/// <summary>A stretch [Start, End) of a document's text under one heading, on one page (PDF), that chunks never cross.</summary>
public sealed record DocumentSection(int Start, int End, string? Heading = null, int? Page = null);
