namespace Quiver.Ingestion;

/// <summary>
/// The payload fields a folder index writes for each chunk (and each image), named once: the indexers write them,
/// <see cref="Retrieval.SourceLocation"/> and <see cref="Retrieval.ContextRetriever"/> read them back, and re-indexing
/// finds a file's chunks by <see cref="Path"/> and <see cref="Hash"/>. They are part of the collection's stored data,
/// so a new name here leaves older collections unreadable by the new code.
/// </summary>
public static class DocumentPayload
{
    /// <summary>The file's path relative to the indexed folder, with '/' separators.</summary>
    public const string Path = "path";

    /// <summary>The chunk's number within its file (or within its JSONL record), from 0.</summary>
    public const string Chunk = "chunk";

    /// <summary>The chunk's first character offset in the document's extracted text.</summary>
    public const string Start = "start";

    /// <summary>The character offset just after the chunk's end in the document's extracted text.</summary>
    public const string End = "end";

    /// <summary>The XxHash128 of the file's bytes (hex), which tells re-indexing whether the file changed.</summary>
    public const string Hash = "hash";

    /// <summary>The document's title (HTML's, a PDF's, a JSONL record's own "title" field), when it has one.</summary>
    public const string Title = "title";

    /// <summary>The heading the chunk sits under (Markdown, HTML), when known.</summary>
    public const string Heading = "heading";

    /// <summary>The PDF page the chunk starts on, from 1.</summary>
    public const string Page = "page";

    /// <summary>The chunk's first line in the file, from 1 (text and Markdown, whose extracted text is the file).</summary>
    public const string FirstLine = "first_line";

    /// <summary>The chunk's last line in the file, from 1.</summary>
    public const string LastLine = "last_line";

    /// <summary>The JSONL record's line in the file, from 1.</summary>
    public const string Line = "line";

    /// <summary>An indexed image's width in pixels.</summary>
    public const string Width = "width";

    /// <summary>An indexed image's height in pixels.</summary>
    public const string Height = "height";

    /// <summary>An indexed image's encoded format (png, jpeg...).</summary>
    public const string Format = "format";
}
