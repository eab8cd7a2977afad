namespace Quiver.Models.Onnx;

/// <summary>Running totals of an encoder's work, for benchmarks and metrics: padding overhead is PaddedTokens / Tokens − 1.</summary>
public sealed class EncoderStatistics
{
    private long _sequences;
    private long _batches;
    private long _tokens;
    private long _paddedTokens;

    public long Sequences => Interlocked.Read(ref _sequences);

    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Real tokens given to the model.</summary>
    public long Tokens => Interlocked.Read(ref _tokens);

    /// <summary>Tokens the model computed, padding included (batch size × padded length, summed).</summary>
    public long PaddedTokens => Interlocked.Read(ref _paddedTokens);

    internal void AddBatch(int sequences, long tokens, long paddedTokens)
    {
        Interlocked.Add(ref _sequences, sequences);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _tokens, tokens);
        Interlocked.Add(ref _paddedTokens, paddedTokens);
    }
}
