namespace Quiver.Ingestion;

/// <summary>Cuts an extracted document into chunks, each within one section.</summary>
public interface IDocumentChunker
{
    IReadOnlyList<DocumentChunk> Chunk(ExtractedDocument document);
}
