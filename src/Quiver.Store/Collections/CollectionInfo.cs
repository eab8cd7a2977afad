using Quiver.Core.Spaces;

namespace Quiver.Store.Collections;

/// <summary>A collection's identity and state, as <c>quiver collections</c> and <c>quiver inspect</c> show it.</summary>
public sealed record CollectionInfo(
    string Name,
    EmbeddingSpace Space,
    long Count,
    long Sequence,
    long DatabaseBytes,
    DateTimeOffset CreatedAt,
    string Path);
