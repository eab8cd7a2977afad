namespace Quiver.Tests.Shared.Hostile;

/// <summary>
/// The server a hostile run aims at: its keys, its body limit, the installed text model, and the collections the
/// run sets up (two it must never change, one scratch collection that write routes aim at).
/// </summary>
internal sealed record HostileTarget
{
    /// <summary>A raw-vector collection of <see cref="KeepSize"/>-d points with payloads; no request may change it.</summary>
    public string Keep { get; init; } = "hostile-keep";

    /// <summary>A collection bound to <see cref="Model"/> with texts; no request may change it.</summary>
    public string Notes { get; init; } = "hostile-notes";

    /// <summary>Where the valid requests of write routes write; recreated after a request that may delete it.</summary>
    public string Scratch { get; init; } = "hostile-scratch";

    /// <summary>A classifier trained on the notes' texts at set-up; predictions read it, and no request may replace it.</summary>
    public string Classifier { get; init; } = "hostile-topics";

    public int KeepSize { get; init; } = 4;

    public required string Model { get; init; }

    public required string AdminKey { get; init; }

    public required string ReadOnlyKey { get; init; }

    /// <summary>The server's body limit: giant strings and arrays stay just under it, so the handlers see them.</summary>
    public required long MaxBodyBytes { get; init; }

    /// <summary>The largest giant body to send (a full 32 MiB body per mutation would make the run slow, not harsher).</summary>
    public long GiantBytes => Math.Min(MaxBodyBytes * 9 / 10, 4L << 20);

    /// <summary>A snapshot of <see cref="Keep"/> (made by <see cref="StoredState.SetUp"/>) that the download route reads.</summary>
    public string KeepSnapshot { get; set; } = string.Empty;

    /// <summary>Snapshots of <see cref="Scratch"/>: the first for the delete route, the second for the recover route.</summary>
    public IReadOnlyList<string> ScratchSnapshots { get; set; } = [];

    /// <summary>The bytes of a snapshot of <see cref="Scratch"/>, the body of the upload route's valid request.</summary>
    public byte[] ScratchSnapshotFile { get; set; } = [];

    /// <summary>The collections no request may change.</summary>
    public IReadOnlyList<string> Protected => [Keep, Notes];
}
