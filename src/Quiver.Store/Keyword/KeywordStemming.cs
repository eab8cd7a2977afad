namespace Quiver.Store.Keyword;

/// <summary>How a collection's keyword index reduces words before matching, fixed when the collection is created.</summary>
public enum KeywordStemming
{
    /// <summary>Words match as written, case- and accent-folded (FTS5 <c>unicode61</c>): right for any language.</summary>
    None,

    /// <summary>English words are reduced to their Porter stem first ("indexing" matches "indexed"; FTS5 <c>porter unicode61</c>).</summary>
    English,
}
