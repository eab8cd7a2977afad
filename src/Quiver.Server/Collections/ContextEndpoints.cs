using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Core.Spaces;
using Quiver.Core.Text;
using Quiver.Ingestion.Retrieval;
using Quiver.Models;
using Quiver.Models.Prompts;
using Quiver.Models.Tokenization;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Collections;
using Quiver.Store.Search;

namespace Quiver.Server.Collections;

/// <summary>
/// Quiver's retrieval for RAG over HTTP: <c>POST /collections/{name}/context</c> answers the best passages for a
/// question with their citations, within a token budget, and the text ready to paste into a prompt (what
/// <c>quiver ask-context</c> prints).
/// </summary>
internal static class ContextEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/collections/{name}/context", Context)
            .WithName("retrieve_context").WithSummary("Passages with citations for a question, within a token budget (Quiver's RAG context)").WithTags("retrieval")
            .Accepts<ContextQuestion>("application/json").Produces<QdrantResponse<ContextAnswer>>();

    private static async Task<IResult> Context(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var given = await RequestBody.Read(context, options.Limits, RequestTypes.Context);
        var request = Request(given, name, collection.Space, options);
        var model = collection.Space.IsRaw ? null : collections.ModelFor(collection);
        var result = await Retrieve(model, collection.Space, batcher, options, request, (search, _) => Task.FromResult(collection.Search(search)), context.RequestAborted);
        return QdrantJson.Ok(context, Answer(result));
    }

    /// <summary>The question and its settings as the retriever takes them, checked as this route checks them (for a collection in any mode).</summary>
    internal static ContextRequest Request(ContextQuestion given, string name, EmbeddingSpace space, ServerOptions options)
    {
        if (string.IsNullOrWhiteSpace(given.Question))
        {
            throw ApiException.BadRequest("is required: the question to gather context for.", "question");
        }

        SearchMode? mode = given.Mode switch
        {
            null => null,
            ContextMode.Dense => SearchMode.Dense,
            ContextMode.Keyword => SearchMode.Keyword,
            _ => SearchMode.Hybrid,
        };
        return new ContextRequest(given.Question)
        {
            BudgetTokens = given.BudgetTokens is { } budget ? JsonFields.Within(budget, 1, 1_000_000, "budget_tokens") : 1000,
            Candidates = given.Candidates is { } candidates ? JsonFields.Within(candidates, 1, options.Limits.MaxPointsPerRequest, "candidates") : 20,
            Mode = space.IsRaw ? (mode is null or SearchMode.Keyword ? SearchMode.Keyword : throw ApiException.BadRequest($"collection `{name}` holds raw vectors and has no model; only keyword context works.", "mode")) : mode,
            MmrLambda = given.Mmr is { } mmr ? JsonFields.Fraction(mmr, "mmr") : 0.7,
            Filter = QdrantFilters.Parse(given.Filter?.Json, "filter"),
        };
    }

    /// <summary>
    /// The passages for <paramref name="request"/> from <paramref name="search"/> (a collection, or the merged answer of
    /// a distributed one), the question embedded by <paramref name="model"/> with the space's query prompt.
    /// </summary>
    internal static async Task<ContextResult> Retrieve(
        ServedModel? model,
        EmbeddingSpace space,
        EmbeddingBatcher batcher,
        ServerOptions options,
        ContextRequest request,
        Func<SearchRequest, CancellationToken, Task<IReadOnlyList<SearchHit>>> search,
        CancellationToken cancellationToken)
    {
        var counter = model is null ? new WhitespaceTokenCounter(int.MaxValue) : EncoderTokenCounter.For(model.Encoder);

        // Through the batcher, so the question is queued, merged, cached and timed like any other input.
        using var batched = model is null ? null : new TextEmbeddingGenerator(new BatchedTextEncoder(batcher, model, options.Truncation));
        var generator = batched is null ? null : PromptedEmbeddingGenerator.Wrap(batched, space.QueryPrompt);
        return await new ContextRetriever(generator, counter).RetrieveAsync(search, request, cancellationToken);
    }

    /// <summary>The route's answer: passages with citations, tokens used, and the prompt text.</summary>
    internal static JsonObject Answer(ContextResult result) =>
        new()
        {
            ["question"] = result.Question,
            ["passages"] = new JsonArray([.. result.Passages.Select(p => (JsonNode)new JsonObject
            {
                ["number"] = p.Number,
                ["id"] = QdrantJson.Id(p.Id),
                ["citation"] = p.Citation,
                ["path"] = p.Path,
                ["title"] = p.Title,
                ["heading"] = p.Heading,
                ["page"] = p.Page,
                ["start"] = p.Start,
                ["end"] = p.End,
                ["score"] = p.Score,
                ["tokens"] = p.Tokens,
                ["text"] = p.Text,
            })]),
            ["used_tokens"] = result.UsedTokens,
            ["budget_tokens"] = result.BudgetTokens,
            ["passed_over"] = result.PassedOver,
            ["prompt"] = result.Prompt,
        };
}
