using Quiver.Store.Index.Quantization;

namespace Quiver.Store.Index;

/// <summary>
/// What <c>quiver inspect</c> shows of a collection's index. <see cref="BytesPerVector"/> counts the full vectors,
/// links and bookkeeping (and the codes, when quantised); <see cref="CodeBytesPerVector"/> the codes alone.
/// </summary>
public sealed record IndexState(
    IndexKind Kind,
    int LivePoints,
    int Nodes,
    int Tombstones,
    int LinkedNodes,
    bool GraphInUse,
    int MaxLevel,
    long MemoryBytes,
    double BytesPerVector,
    long IndexSequence,
    long DatabaseSequence,
    long SnapshotBytes,
    long SnapshotSequence,
    QuantizationKind Quantization,
    double CodeBytesPerVector);
