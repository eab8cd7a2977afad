using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Collections;

namespace Quiver.Server.Collections;

/// <summary>Upserts for REST and gRPC alike: the same limits, the same embedding of texts, one transaction.</summary>
internal static class PointWrites
{
    public static void Limit(int count, string path, ServerLimits limits)
    {
        if (count > limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"has {count} points; one request takes at most {limits.MaxPointsPerRequest}. Send several requests.", path);
        }

        if (count == 0)
        {
            throw ApiException.BadRequest("is empty; give at least one point.", path);
        }
    }

    /// <summary>Embeds the texts first, so nothing is written unless every point has a vector; then one transaction.</summary>
    public static async Task Upsert(Collection collection, IReadOnlyList<PendingPoint> parsed, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, CancellationToken cancellationToken)
    {
        var stored = await Points(collection.Name, collection.Space, parsed, collections, batcher, options, cancellationToken);
        try
        {
            collection.Upsert(stored);
        }
        catch (InvalidVectorException e)
        {
            throw ApiException.BadRequest($"Wrong input: {e.Message}", "points");
        }
    }

    /// <summary>
    /// The points to store, every text embedded with the model and document prompt of the collection
    /// <paramref name="name"/> of <paramref name="space"/> (a local or a distributed one), in one batch.
    /// </summary>
    public static async Task<List<Point>> Points(string name, EmbeddingSpace space, IReadOnlyList<PendingPoint> parsed, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, CancellationToken cancellationToken)
    {
        var textual = parsed.Select((p, i) => (p, i)).Where(x => x.p.Vector is null).ToList();
        var vectorsOf = new float[parsed.Count][];
        if (textual.Count > 0)
        {
            var model = collections.ModelFor(name, space);
            var embedded = await batcher.Embed(model, [.. textual.Select(x => EmbeddingInput.Prompted(space.DocumentPrompt, x.p.Text!))], options.Truncation, cancellationToken);
            for (var k = 0; k < textual.Count; k++)
            {
                vectorsOf[textual[k].i] = embedded[k].Vector;
            }
        }

        return [.. parsed.Select((p, i) => new Point(p.Id, p.Vector ?? vectorsOf[i], p.Payload is null ? null : (System.Text.Json.Nodes.JsonObject)p.Payload.DeepClone(), p.Text))];
    }

    /// <summary>A query text embedded with the collection's model and query prompt.</summary>
    public static Task<float[]> EmbedQuery(Collection collection, string text, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, CancellationToken cancellationToken) =>
        EmbedQuery(collection.Name, collection.Space, text, collections, batcher, options, cancellationToken);

    /// <summary>A query text embedded with the model and query prompt of the collection <paramref name="name"/> of <paramref name="space"/> (a local or a distributed one).</summary>
    public static async Task<float[]> EmbedQuery(string name, EmbeddingSpace space, string text, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, CancellationToken cancellationToken)
    {
        var model = collections.ModelFor(name, space);
        var embedded = await batcher.Embed(model, [EmbeddingInput.Prompted(space.QueryPrompt, text)], options.Truncation, cancellationToken);
        return embedded[0].Vector;
    }
}
