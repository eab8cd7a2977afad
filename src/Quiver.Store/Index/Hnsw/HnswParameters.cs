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
            throw new ArgumentOutOfRangeException(nameof(M), M, "HNSW M must be between 2 and 256 (16 is a good default).");
        }

        if (EfConstruction < M)
        {
            throw new ArgumentOutOfRangeException(nameof(EfConstruction), EfConstruction, $"efConstruction must be at least M ({M}); 100 to 400 is typical.");
        }

        if (EfSearch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EfSearch), EfSearch, "efSearch must be at least 1.");
        }
    }
}
