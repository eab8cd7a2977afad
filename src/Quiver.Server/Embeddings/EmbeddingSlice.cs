namespace Quiver.Server.Embeddings;

/// <summary>Consecutive inputs of one request (<paramref name="Count"/> from <paramref name="Start"/>), costing <paramref name="Tokens"/>, run in one model call.</summary>
internal sealed record EmbeddingSlice(QueuedRequest Request, int Start, int Count, int Tokens)
{
    public IEnumerable<EmbeddingInput> Inputs => Request.Inputs.Skip(Start).Take(Count);
}
