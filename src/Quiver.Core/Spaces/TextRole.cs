namespace Quiver.Core.Spaces;

/// <summary>
/// What a text is embedded as. Asymmetric retrieval models (arctic-embed, E5, BGE) were trained with a prompt before
/// queries, and some with another before documents; symmetric models give both roles the same vectors.
/// </summary>
public enum TextRole
{
    /// <summary>Something stored and searched: a passage, a chunk, a point's text (index, upserts).</summary>
    Document,

    /// <summary>Something searched with: a question or search phrase (search, text queries, context, retrieval evaluation).</summary>
    Query,
}
