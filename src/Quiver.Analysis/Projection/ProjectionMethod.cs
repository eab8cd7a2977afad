namespace Quiver.Analysis.Projection;

/// <summary>How a set of vectors is mapped to two or three dimensions.</summary>
public enum ProjectionMethod
{
    /// <summary>Principal component analysis: exact, linear, keeps global distances and loses local ones.</summary>
    Pca,

    /// <summary>UMAP (McInnes, Healy and Melville 2018): keeps neighbourhoods and some of the global layout.</summary>
    Umap,

    /// <summary>Barnes-Hut t-SNE (van der Maaten 2014): keeps neighbourhoods; distances between clusters mean little.</summary>
    Tsne,
}
