using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Core.Text;
using Quiver.Store.Collections;
using Quiver.Store.Search;

namespace Quiver.Ingestion.Retrieval;

/// <summary>
/// Retrieval for RAG: finds the passages that answer a question (hybrid search by default) and keeps, best first,
/// those that fit a token budget, each with its citation. Tokens are counted with <paramref name="counter"/>
/// (the encoder's tokenizer, or words), citation lines included.
/// </summary>
/// <param name="generator">The collection's encoder, for dense and hybrid search; null allows keyword search only.</param>
public sealed class ContextRetriever(IEmbeddingGenerator<string, Embedding<float>>? generator, ITokenCounter counter)
{
    public Task<ContextResult> RetrieveAsync(Collection collection, ContextRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return RetrieveAsync((search, _) => Task.FromResult(collection.Search(search)), request, cancellationToken);
    }

    /// <summary>
    /// The same retrieval over any searcher that answers a <see cref="SearchRequest"/> as a collection does (a collection
    /// spread over shards, whose hits are merged before the passages are chosen here).
    /// </summary>
    public async Task<ContextResult> RetrieveAsync(Func<SearchRequest, CancellationToken, Task<IReadOnlyList<SearchHit>>> search, ContextRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            throw new QuiverException("Give a question to gather context for.");
        }

        if (request.BudgetTokens < 1)
        {
            throw new QuiverException($"The token budget must be at least 1; got {request.BudgetTokens}.");
        }

        var mode = request.Mode ?? (generator is null ? SearchMode.Keyword : SearchMode.Hybrid);
        float[]? vector = null;
        EmbeddingSpace? space = null;
        if (mode != SearchMode.Keyword)
        {
            if (generator is null)
            {
                throw new QuiverException($"A {mode.ToString().ToLowerInvariant()} search needs the collection's encoder; use keyword mode or open the model.");
            }

            vector = (await generator.GenerateAsync([request.Question], cancellationToken: cancellationToken))[0].Vector.ToArray();
            space = generator.GetService<EmbeddingSpace>();
        }

        var hits = await search(new SearchRequest
        {
            Vector = vector,
            Text = mode == SearchMode.Dense ? null : request.Question,
            Mode = mode,
            K = request.Candidates,
            Candidates = Math.Max(request.Candidates * 3, 50),
            Fusion = request.Fusion,
            KeywordWeight = request.KeywordWeight,
            MmrLambda = request.MmrLambda,
            ScoreThreshold = request.ScoreThreshold,
            Filter = request.Filter,
            Source = space,
        }, cancellationToken);

        var passages = new List<ContextPassage>();
        var used = 0;
        var passedOver = 0;
        foreach (var hit in hits.Where(h => !string.IsNullOrEmpty(h.Text)))
        {
            var payload = hit.Payload;
            var passage = new ContextPassage(
                passages.Count + 1,
                hit.Id,
                payload?[DocumentPayload.Path]?.GetValue<string>(),
                payload?[DocumentPayload.Title]?.GetValue<string>(),
                payload?[DocumentPayload.Heading]?.GetValue<string>(),
                payload?[DocumentPayload.Page]?.GetValue<int>(),
                payload?[DocumentPayload.Start]?.GetValue<int>(),
                payload?[DocumentPayload.End]?.GetValue<int>(),
                hit.Score,
                hit.Text!,
                0);
            var tokens = counter.Count(passage.Citation + "\n" + passage.Text);
            if (used + tokens > request.BudgetTokens)
            {
                passedOver++;
                continue;
            }

            used += tokens;
            passages.Add(passage with { Tokens = tokens });
        }

        return new ContextResult(request.Question, passages, used, request.BudgetTokens, passedOver);
    }
}
