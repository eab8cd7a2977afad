using Quiver.Core.Spaces;
using Quiver.Store.Index;
using Quiver.Store.Keyword;

namespace Quiver.Store.Collections;

/// <summary>
/// What a new collection is bound to, one embedding space (model, revision, dimensions, metric), and how it is
/// indexed (HNSW above a size threshold by default), and how its keyword index tokenises text (no stemming by default).
/// </summary>
public sealed record CollectionOptions(EmbeddingSpace Space, IndexOptions? Index = null, KeywordOptions? Keyword = null);
