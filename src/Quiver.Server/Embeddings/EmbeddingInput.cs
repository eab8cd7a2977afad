namespace Quiver.Server.Embeddings;

/// <summary>One input of an embeddings request: a text, or token ids of the model's own vocabulary.</summary>
internal readonly record struct EmbeddingInput(string? Text, IReadOnlyList<int>? TokenIds)
{
    public bool IsTokens => TokenIds is not null;

    /// <summary>A text with a prompt before it (tokenised together, as sentence-transformers does); the text alone when there is none.</summary>
    public static EmbeddingInput Prompted(string? prompt, string text) => new(string.IsNullOrEmpty(prompt) ? text : prompt + text, null);
}

/// <summary>One embedded input: its vector, the tokens the model read and those it had to cut, and whether the cache answered it.</summary>
internal sealed record EmbeddingResult(float[] Vector, int Tokens, int TruncatedTokens, bool Cached = false);
