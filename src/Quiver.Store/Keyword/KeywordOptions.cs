namespace Quiver.Store.Keyword;

/// <summary>How a new collection's keyword (BM25) index tokenises text.</summary>
public sealed record KeywordOptions(KeywordStemming Stemming = KeywordStemming.None)
{
    public static KeywordOptions Default { get; } = new();
}
