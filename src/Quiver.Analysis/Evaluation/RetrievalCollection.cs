namespace Quiver.Analysis.Evaluation;

/// <summary>
/// A retrieval test collection: documents, queries and graded judgements (query id → document id → gain, gains
/// above 0 relevant). <see cref="JudgedQueries"/> are the queries with at least one relevant document, the ones to
/// evaluate on.
/// </summary>
public sealed record RetrievalCollection(
    string Name,
    string Layout,
    IReadOnlyList<RetrievalDocument> Documents,
    IReadOnlyList<RetrievalQuery> Queries,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Judgements)
{
    public IReadOnlyList<RetrievalQuery> JudgedQueries =>
        Queries.Where(q => Judgements.TryGetValue(q.Id, out var j) && j.Values.Any(g => g > 0)).ToList();
}
