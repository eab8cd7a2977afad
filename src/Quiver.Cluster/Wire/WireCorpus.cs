using Quiver.Store.Keyword;

namespace Quiver.Cluster.Wire;

/// <summary>A shard's BM25 statistics for one query, between silos.</summary>
[GenerateSerializer, Immutable]
public sealed record WireCorpus([property: Id(0)] long Documents, [property: Id(1)] long Tokens, [property: Id(2)] long[] DocumentFrequencies)
{
    public static WireCorpus From(KeywordCorpus corpus) => new(corpus.Documents, corpus.Tokens, corpus.DocumentFrequencies.ToArray());

    public KeywordCorpus ToCorpus() => new(Documents, Tokens, DocumentFrequencies);
}
