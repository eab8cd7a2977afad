namespace Quiver.Models.Tokenization;

/// <summary>How <see cref="WordTokenizer"/> treats text.</summary>
public sealed record WordTokenizerOptions
{
    /// <summary>Lower-case every token (GloVe and most word-vector vocabularies are lower-case).</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Split English clitics the way the Penn Treebank does: don't → do n't, it's → it 's.</summary>
    public bool SplitContractions { get; init; } = true;
}
