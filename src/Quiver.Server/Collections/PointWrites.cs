using Quiver.Core.Distances;
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
        var textual = parsed.Select((p, i) => (p, i)).Where(x => x.p.Vector is null).ToList();
        var vectorsOf = new float[parsed.Count][];
        if (textual.Count > 0)
        {
            var model = collections.ModelFor(collection);
            var embedded = await batcher.Embed(model, [.. textual.Select(x => EmbeddingInput.Prompted(collection.Space.DocumentPrompt, x.p.Text!))], options.Truncation, cancellationToken);
            for (var k = 0; k < textual.Count; k++)
            {
                vectorsOf[textual[k].i] = embedded[k].Vector;
            }
        }

        var stored = parsed.Select((p, i) => new Point(p.Id, p.Vector ?? vectorsOf[i], p.Payload is null ? null : (System.Text.Json.Nodes.JsonObject)p.Payload.DeepClone(), p.Text)).ToList();
        try
        {
            collection.Upsert(stored);
        }
        catch (InvalidVectorException e)
        {
            throw ApiException.BadRequest($"Wrong input: {e.Message}", "points");
        }
    }

    /// <summary>A query text embedded with the collection's model and query prompt.</summary>
    public static async Task<float[]> EmbedQuery(Collection collection, string text, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, CancellationToken cancellationToken)
    {
        var model = collections.ModelFor(collection);
        var embedded = await batcher.Embed(model, [EmbeddingInput.Prompted(collection.Space.QueryPrompt, text)], options.Truncation, cancellationToken);
        return embedded[0].Vector;
    }
}
