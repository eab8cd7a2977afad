namespace Quiver.Store.Reembedding;

/// <summary>Where a <see cref="ReembedJob"/> is: <see cref="Done"/> of about <see cref="Total"/> points, in <see cref="Phase"/>.</summary>
/// <param name="Phase">re-embedding, catching up (writes made meanwhile), indexing (the new version's search index), switching, done.</param>
/// <param name="Done">Points written into the new version by this run.</param>
/// <param name="Total">Points this run has to write, as counted when it started (writes made meanwhile add to it).</param>
/// <param name="Checkpoint">The source's sequence number the new version holds everything up to.</param>
/// <param name="Resumed">Whether this run continues one that stopped.</param>
public sealed record ReembedProgress(string Phase, long Done, long Total, long Checkpoint, bool Resumed);
