using Quiver.Store.Collections;

namespace Quiver.Store.Export;

/// <summary>
/// One export format's writer. It writes to temporary files beside the targets; <see cref="Complete"/> moves them into
/// place, so a failed or cancelled export never leaves a partial file under the name asked for.
/// </summary>
internal interface IPointWriter : IAsyncDisposable
{
    /// <summary>The files this writer produces, the main one first.</summary>
    IReadOnlyList<string> Files { get; }

    Task Write(IReadOnlyList<Point> batch, CancellationToken cancellationToken);

    Task Complete(CancellationToken cancellationToken);
}
