namespace Quiver.Server.Embeddings;

/// <summary>The slices one model call runs together: of one key (kind of input and truncation), within the call's inputs and tokens.</summary>
internal sealed class ModelCall
{
    public List<EmbeddingSlice> Slices { get; } = [];

    public int Inputs { get; private set; }

    public long Tokens { get; private set; }

    /// <summary>Whether <paramref name="slice"/> can join: the first always can (a slice over the limits runs alone).</summary>
    public bool Fits(EmbeddingSlice slice, int maxInputs, int maxTokens) =>
        Slices.Count == 0 || (slice.Request.Key == Slices[0].Request.Key && Inputs + slice.Count <= maxInputs && Tokens + slice.Tokens <= maxTokens);

    public void Add(EmbeddingSlice slice)
    {
        Slices.Add(slice);
        Inputs += slice.Count;
        Tokens += slice.Tokens;
    }
}
