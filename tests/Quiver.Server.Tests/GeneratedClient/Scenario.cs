using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Nodes = System.Text.Json.Nodes;

namespace Quiver.Generated;

/// <summary>
/// Written against the client NSwag generates from /openapi/v1.json, as a user would write it, and compiled with it
/// by GeneratedClientTests: what it reads comes back as JSON for the test to check.
/// </summary>
public static class Scenario
{
    private const string Uuid = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26";

    public static async Task<string> RunAsync(HttpClient http, string baseUrl)
    {
        var client = new QuiverClient(http) { BaseUrl = baseUrl };
        var result = new Nodes.JsonObject();

        // OpenAI's embeddings: a batch as floats, one text as base64, and the model list.
        var floats = await client.CreateEmbeddingAsync(new EmbeddingsRequest { Model = "bert", Input = new[] { "the whale swims", "a cat sat on the mat" } });
        result["float"] = new Nodes.JsonArray([.. floats.Data.OrderBy(d => d.Index).Select(d => Nodes.JsonNode.Parse(((JToken)d.Embedding).ToString()))]);
        result["prompt_tokens"] = floats.Usage.Prompt_tokens;
        var packed = await client.CreateEmbeddingAsync(new EmbeddingsRequest { Model = "bert", Input = "the whale swims", Encoding_format = EncodingFormat.Base64 });
        result["base64"] = (string)packed.Data.Single().Embedding;
        result["models"] = new Nodes.JsonArray([.. (await client.ListModelsAsync()).Data.Select(m => (Nodes.JsonNode)m.Id)]);

        // Qdrant's collections: raw vectors, integer and UUID ids, payloads.
        var created = await client.Create_collectionAsync("generated", new CreateCollectionRequest { Vectors = new VectorParams { Size = 4, Distance = DistanceName.Cosine } });
        result["created"] = created.Result;
        var upserted = await client.Upsert_pointsAsync("generated", new UpsertPointsRequest
        {
            Points =
            [
                Point(1L, [1f, 0f, 0f, 0f], "blue"),
                Point(2L, [0.9f, 0.1f, 0f, 0f], "red"),
                Point(3L, [0f, 1f, 0f, 0f], "blue"),
                Point(4L, [0.1f, 0.9f, 0.1f, 0f], "red"),
                Point(Uuid, [0f, 0f, 1f, 0f], "green"),
            ],
        });
        result["upserted"] = upserted.Result.Status;
        result["points"] = (await client.Get_collectionAsync("generated")).Result.Points_count;

        var red = new Filter { Must = new[] { new FilterCondition { Key = "colour", Match = new Match { Value = "red" } } } };
        var search = await client.Search_pointsAsync("generated", new SearchPointsRequest { Vector = [1f, 0f, 0f, 0f], Filter = red, Limit = 5, With_payload = true });
        result["search_red"] = Ids(search.Result.Select(p => p.Id));
        result["search_red_colour"] = string.Join(",", search.Result.Select(p => p.Payload["colour"]).Distinct());

        var query = await client.Query_pointsAsync("generated", new QueryPointsRequest { Query = 3L, Limit = 2 });
        result["query_by_id"] = Ids(query.Result.Points.Select(p => p.Id));
        result["count_red"] = (await client.Count_pointsAsync("generated", new CountRequest { Filter = red })).Result.Count;
        var byUuid = await client.Get_pointAsync("generated", Uuid);
        result["uuid_vector"] = new Nodes.JsonArray([.. byUuid.Result.Vector.Select(v => (Nodes.JsonNode)v)]);

        // Quiver's text collections: points and queries as text, embedded by the collection's model.
        await client.Create_collectionAsync("generated-text", new CreateCollectionRequest { Model = "bert" });
        await client.Upsert_pointsAsync("generated-text", new UpsertPointsRequest
        {
            Points =
            [
                new PointInput { Id = 1L, Text = "the whale swims in the sea" },
                new PointInput { Id = 2L, Text = "a cat sat on the mat" },
                new PointInput { Id = 3L, Text = "the dog barks" },
            ],
        });
        var text = await client.Query_pointsAsync("generated-text", new QueryPointsRequest { Query = "the whale swims in the sea", Limit = 3 });
        result["text_query"] = Ids(text.Result.Points.Select(p => p.Id));

        // A documented error arrives as the generated typed exception, with Qdrant's error body.
        try
        {
            await client.Get_collectionAsync("nowhere");
        }
        catch (ApiException<QdrantError> e)
        {
            result["missing_status"] = e.StatusCode;
            result["missing_error"] = e.Result.Status.Error;
        }

        return result.ToJsonString();
    }

    private static PointInput Point(object id, float[] vector, string colour) =>
        new() { Id = id, Vector = vector, Payload = new Dictionary<string, object> { ["colour"] = colour } };

    private static Nodes.JsonArray Ids(IEnumerable<object> ids) =>
        new([.. ids.Select(id => (Nodes.JsonNode)Convert.ToString(id, CultureInfo.InvariantCulture)!)]);
}
