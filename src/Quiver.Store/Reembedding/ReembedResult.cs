using Quiver.Core.Spaces;

namespace Quiver.Store.Reembedding;

/// <summary>What a finished <see cref="ReembedJob"/> did.</summary>
/// <param name="Collection">The collection that holds the new vectors (the source itself, or the new name).</param>
/// <param name="Source">The collection re-embedded.</param>
/// <param name="From">The space of the source's vectors.</param>
/// <param name="To">The space of the new vectors.</param>
/// <param name="Points">Points in the new version.</param>
/// <param name="Embedded">Points this run embedded.</param>
/// <param name="Reused">Points changed during the run whose text had not changed, so their new vector was kept (payload edits).</param>
/// <param name="TextlessDropped">Points without text left out (with <see cref="ReembedOptions.DropTextless"/>).</param>
/// <param name="TextlessIds">The first ids of those points (at most <see cref="ReembedJob.TextlessIdsShown"/>).</param>
/// <param name="ResumedFrom">The source sequence number this run continued from (0 for a fresh run).</param>
/// <param name="Elapsed">This run's time, switch included.</param>
/// <param name="DatabasePath">The new version's database.</param>
/// <param name="RetiredKept">Replaced databases not removed yet because a reader still had them open (a later open removes them).</param>
public sealed record ReembedResult(
    string Collection,
    string Source,
    EmbeddingSpace From,
    EmbeddingSpace To,
    long Points,
    long Embedded,
    long Reused,
    long TextlessDropped,
    IReadOnlyList<string> TextlessIds,
    long ResumedFrom,
    TimeSpan Elapsed,
    string DatabasePath,
    int RetiredKept)
{
    /// <summary>Points embedded per second of this run.</summary>
    public double PointsPerSecond => Embedded / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
