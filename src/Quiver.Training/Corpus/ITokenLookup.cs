namespace Quiver.Training.Corpus;

/// <summary>Maps tokens to the ids of a vocabulary without allocating a string per token; -1 for an unknown token.</summary>
public interface ITokenLookup
{
    int IdOf(ReadOnlySpan<char> token);

    /// <summary>The id of a token given as its UTF-8 bytes.</summary>
    int IdOf(ReadOnlySpan<byte> utf8Token);
}
