using Quiver.Core;
using Quiver.Training.Words;

namespace Quiver.Training.Graphs;

/// <summary>node2vec's settings (Grover and Leskovec, 2016), defaulting to its reference implementation's; p = q = 1 is DeepWalk.</summary>
public sealed record Node2VecOptions
{
    /// <summary>Return parameter: the weight of stepping straight back is divided by p (high p: walks rarely go back).</summary>
    public double P { get; init; } = 1;

    /// <summary>In-out parameter: the weight of stepping away from the previous node is divided by q (low q: outward, DFS-like; high q: local, BFS-like).</summary>
    public double Q { get; init; } = 1;

    public int WalkLength { get; init; } = 80;

    public int WalksPerNode { get; init; } = 10;

    /// <summary>Seeds the walks: each walk depends only on the seed, its round and its start node, not on the thread count.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The skip-gram trained on the walks: node2vec's 128 dimensions, window 10, one epoch, every node kept, no subsampling.</summary>
    public Word2VecOptions Word2Vec { get; init; } = new() { Cbow = false, Dimensions = 128, Window = 10, Epochs = 1, MinCount = 1, Sample = 0 };

    public bool IsDeepWalk => P == 1 && Q == 1;

    public void Validate()
    {
        if (!(P > 0) || !(Q > 0))
        {
            throw new QuiverException($"p and q must be positive (got p = {P}, q = {Q}); 1 and 1 give DeepWalk's walks.");
        }

        if (WalkLength < 1 || WalksPerNode < 1)
        {
            throw new QuiverException($"Walk length and walks per node must be at least 1 (got {WalkLength} and {WalksPerNode}).");
        }

        Word2Vec.Validate();
    }
}
