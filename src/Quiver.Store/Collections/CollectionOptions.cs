using Quiver.Core.Spaces;

namespace Quiver.Store.Collections;

/// <summary>What a new collection is bound to: one embedding space (model, revision, dimensions, metric).</summary>
public sealed record CollectionOptions(EmbeddingSpace Space);
