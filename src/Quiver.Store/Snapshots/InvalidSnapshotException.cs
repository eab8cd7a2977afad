using Quiver.Core;

namespace Quiver.Store.Snapshots;

/// <summary>A snapshot file that cannot be restored (truncated, damaged, not a Quiver snapshot); nothing was changed.</summary>
public sealed class InvalidSnapshotException(string path, string problem, Exception? inner = null)
    : QuiverException(
        $"The snapshot {path} cannot be restored: {problem}. Nothing was changed. Take a new snapshot (quiver collections snapshot NAME) or use another copy of this one.",
        inner!)
{
    public string Problem { get; } = problem;
}
