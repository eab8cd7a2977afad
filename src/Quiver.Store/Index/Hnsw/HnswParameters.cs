using Quiver.Core;

namespace Quiver.Store.Index.Hnsw;

/// <summary>
/// HNSW graph parameters (Malkov and Yashunin, 2016): M links per node on upper layers (2M on the bottom layer),
/// the candidate-list size while building, and the default candidate-list size while searching.
/// </summary>
public sealed record HnswParameters(int M = 16, int EfConstruction = 200, int EfSearch = 64)
{
    public void Validate()
    {
        if (M is < 2 or > 256)
        {
            throw new QuiverException($"HNSW M is {M}; it must be between 2 and 256 (16 is a good default).");
        }

        if (EfConstruction < M)
        {
            throw new QuiverException($"HNSW efConstruction is {EfConstruction}; it must be at least M ({M}), and 100 to 400 is typical.");
        }

        if (EfSearch < 1)
        {
            throw new QuiverException($"HNSW efSearch is {EfSearch}; it must be at least 1.");
        }
    }
}
