namespace Quiver.Store.Reembedding;

/// <summary>How a <see cref="ReembedJob"/> builds the new version of a collection.</summary>
public sealed record ReembedOptions
{
    /// <summary>The default <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>
    /// Null (the default): the collection itself switches to the new vectors once they are all made. A name: a new
    /// collection of that name gets them, and the source stays as it is.
    /// </summary>
    public string? Into { get; init; }

    /// <summary>
    /// Leave points without text out of the new version (they cannot be embedded again; they are counted and named in
    /// the result). Without it, a collection holding such points is refused before any work, with their count and ids.
    /// </summary>
    public bool DropTextless { get; init; }

    /// <summary>Re-embed even when the collection's vectors already come from the model's space (same model, same revision).</summary>
    public bool Force { get; init; }

    /// <summary>Discard an unfinished re-embedding of this collection (another model's, or another source's) instead of refusing to start.</summary>
    public bool Restart { get; init; }

    /// <summary>Points embedded and written per transaction (and per checkpoint).</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;
}
