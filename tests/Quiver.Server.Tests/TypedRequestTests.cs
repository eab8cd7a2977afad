using System.Text;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;

namespace Quiver.Server.Tests;

/// <summary>
/// Typed requests read by source-generated metadata keep the hand-written reads' errors: the JSON path of the value at
/// fault (down to an item of a vector or of a batch column) and what the field takes.
/// </summary>
public sealed class TypedRequestTests
{
    private static (string? Param, string Message) Refusal<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string json)
    {
        var e = Assert.Throws<ApiException>(() => RequestBody.Parse(Encoding.UTF8.GetBytes(json), type));
        Assert.Equal(400, e.Status);
        return (e.Param, e.Message);
    }

    [Theory]
    [InlineData("""{"points": [{"id": 1, "vector": [1, 2]}, {"id": 2, "vector": [1, "x"]}]}""", "points[1].vector[1]", "must be a number, not a string.")]
    [InlineData("""{"points": [{"id": 1, "vector": [1, 1e39]}]}""", "points[0].vector[1]", "is 1E+39, which is not a finite 32-bit number. Vectors must hold finite numbers.")]
    [InlineData("""{"points": [{"id": 1, "vector": "x"}]}""", "points[0].vector", "must be an array of numbers, not a string.")]
    [InlineData("""{"points": [{"id": 1, "vector": {"dense": [1]}}]}""", "points[0].vector", "named vectors are not supported: Quiver collections hold one unnamed vector. Give an array of numbers.")]
    [InlineData("""{"points": [{"id": 1, "vector": {"text": 5}}]}""", "points[0].vector.text", "must be a string, not a number.")]
    [InlineData("""{"points": [{"id": 1, "vector": [1]}, 7]}""", "points[1]", "must be a point object with id and vector, not a number.")]
    [InlineData("""{"points": {"id": 1}}""", "points", "must be an array, not an object.")]
    [InlineData("""{"points": [{"id": -1, "vector": [1]}]}""", "points[0].id", "Unable to parse point id -1: a point id is an unsigned integer or a UUID string.")]
    [InlineData("""{"points": [{"id": 1, "vector": [1], "payload": [1]}]}""", "points[0].payload", "must be an object, not an array.")]
    [InlineData("""{"points": [{"id": 1, "vector": [1], "text": true}]}""", "points[0].text", "must be a string, not a boolean.")]
    [InlineData("""{"batch": {"ids": [1, 2], "vectors": [[1], [2, {}]]}}""", "batch.vectors[1][1]", "must be a number, not an object.")]
    [InlineData("""{"batch": {"ids": [1, "nope"], "vectors": [[1], [2]]}}""", "batch.ids[1]", "Unable to parse point id \"nope\": a point id is an unsigned integer or a UUID string.")]
    [InlineData("""{"batch": {"ids": [1], "payloads": ["x"]}}""", "batch.payloads[0]", "must be an object, not a string.")]
    public void An_upsert_names_the_value_at_fault(string json, string param, string message)
    {
        var (actualParam, actualMessage) = Refusal(RequestTypes.Upsert, json);
        Assert.Equal(param, actualParam);
        Assert.Equal(message, actualMessage);
    }

    [Theory]
    [InlineData("""{"input": ["a", 5]}""", "input[1]", "must be a string (every input of one request has the same type), not a number.")]
    [InlineData("""{"input": [[1, 2], [3, -4]]}""", "input[1][1]", "must be a token id (a whole number from 0), not a number.")]
    [InlineData("""{"input": [[1, 2], "x"]}""", "input[1]", "must be an array of token ids like input[0], not a string.")]
    [InlineData("""{"input": [[1], []]}""", "input[1]", "is an empty token array; give at least one token id.")]
    [InlineData("""{"input": [1, 2.5]}""", "input[1]", "must be a token id (a whole number from 0), not a number.")]
    [InlineData("""{"input": []}""", "input", "is an empty array; give at least one input.")]
    [InlineData("""{"input": [null]}""", "input[0]", "must be a string or an array of token ids, not null.")]
    [InlineData("""{"input": {"text": "a"}}""", "input", "must be a string, an array of strings, an array of token ids or an array of such arrays, not an object.")]
    [InlineData("""{"input": "a", "encoding_format": "xml"}""", "encoding_format", "'xml' is not an encoding format; use float or base64.")]
    [InlineData("""{"input": "a", "encoding_format": 1}""", "encoding_format", "must be a string, not a number.")]
    [InlineData("""{"input": "a", "dimensions": 1.5}""", "dimensions", "must be a whole number, not a number.")]
    [InlineData("""{"input": "a", "dimensions": "8"}""", "dimensions", "must be a whole number, not a string.")]
    [InlineData("""{"input": "a", "dimensions": 99999999999}""", "dimensions", "must be from -2147483648 to 2147483647; it is 99999999999.")]
    [InlineData("""{"input": "a", "truncate": "yes"}""", "truncate", "must be true or false, not a string.")]
    [InlineData("""{"input": "a", "model": ["bert"]}""", "model", "must be a string, not an array.")]
    public void An_embeddings_request_names_the_value_at_fault(string json, string param, string message)
    {
        var (actualParam, actualMessage) = Refusal(RequestTypes.Embeddings, json);
        Assert.Equal(param, actualParam);
        Assert.Equal(message, actualMessage);
    }

    [Theory]
    [InlineData("""{"searches": [{"vector": [1]}, {"vector": [1], "limit": "ten"}]}""", "searches[1].limit", "must be a whole number, not a string.")]
    [InlineData("""{"searches": [{"vector": [1]}, 5]}""", "searches[1]", "must be an object shaped like the single route's body, not a number.")]
    [InlineData("""{"searches": [{"vector": [1], "params": {"exact": 1}}]}""", "searches[0].params.exact", "must be true or false, not a number.")]
    [InlineData("""{"searches": [{"vector": [1], "with_vector": "yes"}]}""", "searches[0].with_vector", "must be true or false (Quiver collections hold one unnamed vector), not a string.")]
    [InlineData("""{"searches": [{"vector": [1], "score_threshold": "high"}]}""", "searches[0].score_threshold", "must be a number, not a string.")]
    public void A_batch_names_the_entry_and_its_field(string json, string param, string message)
    {
        var (actualParam, actualMessage) = Refusal(RequestTypes.SearchBatch, json);
        Assert.Equal(param, actualParam);
        Assert.Equal(message, actualMessage);
    }

    [Theory]
    [InlineData("""{"positive": [[1, "a"]]}""", "positive[0][1]", "must be a number, not a string.")]
    [InlineData("""{"positive": [true]}""", "positive[0]", "Unable to parse point id true: a point id is an unsigned integer or a UUID string.")]
    [InlineData("""{"positive": [1], "strategy": "best"}""", "strategy", "'best' is not a recommend strategy; use average_vector, best_score or sum_scores.")]
    public void A_recommendation_names_the_example_at_fault(string json, string param, string message)
    {
        var (actualParam, actualMessage) = Refusal(RequestTypes.Recommend, json);
        Assert.Equal(param, actualParam);
        Assert.Equal(message, actualMessage);
    }

    [Fact]
    public void An_object_read_later_names_its_place_in_the_request()
    {
        var e = Assert.Throws<ApiException>(() => RequestBody.Parse(System.Text.Json.Nodes.JsonNode.Parse("""{"positive": [1], "strategy": 3}""")!, RequestTypes.RecommendInput, "query.recommend."));
        Assert.Equal("query.recommend.strategy", e.Param);
        Assert.Equal("must be a string, not a number.", e.Message);
    }

    [Fact]
    public void Fields_the_type_lacks_are_skipped_and_shapes_are_kept()
    {
        var request = RequestBody.Parse("""{"input": [[1, 2], [3]], "ignored": {"deep": [1, [2]]}, "truncation": "chunk"}"""u8, RequestTypes.Embeddings);
        Assert.True(request.Input.IsArray);
        Assert.Equal([[1, 2], [3]], request.Input.TokenIds);
        Assert.Equal(TruncationName.Chunk, request.Truncation);

        var upsert = RequestBody.Parse("""{"points": [{"id": "5C56C793-69F3-4FBF-87E6-C4BF54C28C26", "vector": {"text": "a whale"}}, {"id": 3, "vector": [1, 2.5]}]}"""u8, RequestTypes.Upsert);
        Assert.Equal("5c56c793-69f3-4fbf-87e6-c4bf54c28c26", upsert.Points![0].Id.Value);
        Assert.Equal("a whale", upsert.Points[0].Vector!.Text);
        Assert.Equal([1f, 2.5f], upsert.Points[1].Vector!.Values!);
        Assert.Null(RequestBody.Parse([], RequestTypes.Upsert).Points);
    }

    [Theory]
    [InlineData("""{"vectors": {"size": "3", "distance": "Cosine"}}""", "vectors.size", "must be a whole number, not a string.")]
    [InlineData("""{"vectors": {"size": 1.5, "distance": "Cosine"}}""", "vectors.size", "must be a whole number, not a number.")]
    [InlineData("""{"vectors": {"size": 0, "distance": "Cosine"}}""", "vectors.size", "must be from 1 to 65536; it is 0.")]
    [InlineData("""{"vectors": {"size": 99999999999, "distance": "Cosine"}}""", "vectors.size", "must be from 1 to 65536; it is 99999999999.")]
    [InlineData("""{"vectors": {"distance": "Cosine"}}""", "vectors.size", "is required: the vectors' dimensions, from 1 to 65536 (or leave vectors out and give \"model\").")]
    [InlineData("""{"vectors": {"size": 3}}""", "vectors.distance", "is required: Cosine, Dot or Euclid.")]
    [InlineData("""{"vectors": {"size": 3, "distance": "Manhattan"}}""", "vectors.distance", "Manhattan distance is not supported; use Cosine, Dot or Euclid.")]
    [InlineData("""{"vectors": {"size": 3, "distance": "cosine"}}""", "vectors.distance", "'cosine' is not a distance; use Cosine, Dot or Euclid.")]
    [InlineData("""{"vectors": {"size": 3, "distance": 1}}""", "vectors.distance", "must be a string, not a number.")]
    [InlineData("""{"vectors": {"text": {"size": 3, "distance": "Cosine"}}}""", "vectors", "named vectors are not supported: Quiver collections hold one unnamed vector. Give {\"size\": N, \"distance\": \"Cosine\"}.")]
    [InlineData("""{"vectors": [3]}""", "vectors", "must be an object, not an array.")]
    [InlineData("""{"hnsw_config": []}""", "hnsw_config", "must be an object, not an array.")]
    [InlineData("""{"hnsw_config": {"m": "8"}}""", "hnsw_config.m", "must be a whole number, not a string.")]
    [InlineData("""{"hnsw_config": {"ef_construct": true}}""", "hnsw_config.ef_construct", "must be a whole number, not a boolean.")]
    [InlineData("""{"model": 5}""", "model", "must be a string, not a number.")]
    public void A_collection_definition_names_the_value_at_fault(string json, string param, string message)
    {
        var (actualParam, actualMessage) = Refusal(RequestTypes.CreateCollection, json);
        Assert.Equal(param, actualParam);
        Assert.Equal(message, actualMessage);
    }

    [Fact]
    public void A_collection_definition_reads_its_vectors_and_graph_parameters()
    {
        var raw = RequestBody.Parse("""{"vectors": {"size": 4, "distance": "Dot", "on_disk": true}, "hnsw_config": {"m": 8}}"""u8, RequestTypes.CreateCollection);
        Assert.Equal(4, raw.Vectors!.Size);
        Assert.Equal(Collections.DistanceName.Dot, raw.Vectors.Distance);
        Assert.Equal(8, raw.HnswConfig!.M);
        Assert.Null(raw.HnswConfig.EfConstruct);
        Assert.Null(raw.Model);

        var text = RequestBody.Parse("""{"model": "bert", "vectors": null}"""u8, RequestTypes.CreateCollection);
        Assert.Equal("bert", text.Model);
        Assert.Null(text.Vectors);
        Assert.Equal(Collections.DistanceName.Euclid, RequestBody.Parse("""{"vectors": {"distance": "Euclid", "size": 2}}"""u8, RequestTypes.CreateCollection).Vectors!.Distance);
    }

    [Theory]
    [InlineData("""{"field_name": 5, "field_schema": "keyword"}""", "field_name", "must be a string, not a number.")]
    [InlineData("""{"field_name": "n", "field_schema": 5}""", "field_schema", "must be a string, not a number.")]
    [InlineData("""{"field_name": "n", "field_schema": ["keyword"]}""", "field_schema", "must be a string, not an array.")]
    [InlineData("""{"field_name": "n", "field_schema": {"type": ["keyword"]}}""", "field_schema.type", "must be a string, not an array.")]
    public void A_payload_index_request_names_the_value_at_fault(string json, string param, string message)
    {
        var (actualParam, actualMessage) = Refusal(RequestTypes.CreateFieldIndex, json);
        Assert.Equal(param, actualParam);
        Assert.Equal(message, actualMessage);
    }

    [Theory]
    [InlineData("""{"field_name": "n", "field_schema": "keyword"}""", "keyword")]
    [InlineData("""{"field_name": "n", "field_schema": {"is_tenant": true, "type": "integer", "lookup": {"x": [1]}}}""", "integer")]
    [InlineData("""{"field_name": "n", "field_schema": {"lookup": true}}""", null)]
    [InlineData("""{"field_name": "n", "field_schema": {"type": null}}""", null)]
    public void A_field_schema_is_read_in_either_form(string json, string? type)
    {
        var request = RequestBody.Parse(Encoding.UTF8.GetBytes(json), RequestTypes.CreateFieldIndex);
        Assert.Equal("n", request.FieldName);
        Assert.Equal(type, request.FieldSchema.Type);
    }

    [Theory]
    [InlineData("""{"input": ["a", 5]}""", "input[1]", "must be a string, not a number.")]
    [InlineData("""{"input": ["a", null]}""", "input[1]", "must be a string, not null.")]
    [InlineData("""{"input": 5}""", "input", "must be a string or an array of strings, not a number.")]
    [InlineData("""{"input": {"text": "a"}}""", "input", "must be a string or an array of strings, not an object.")]
    [InlineData("""{"input": "a", "top": "1"}""", "top", "must be a whole number, not a string.")]
    public void A_classify_request_names_the_value_at_fault(string json, string param, string message)
    {
        var (actualParam, actualMessage) = Refusal(RequestTypes.Classify, json);
        Assert.Equal(param, actualParam);
        Assert.Equal(message, actualMessage);
    }

    [Fact]
    public void A_classify_request_reads_one_text_or_several()
    {
        var one = RequestBody.Parse("""{"input": "a whale", "top": 2}"""u8, RequestTypes.Classify);
        Assert.Equal(["a whale"], one.Input.Texts);
        Assert.False(one.Input.IsArray);
        Assert.Equal(2, one.Top);

        var several = RequestBody.Parse("""{"input": ["a whale", "", "a cat"]}"""u8, RequestTypes.Classify);
        Assert.Equal(["a whale", "", "a cat"], several.Input.Texts);
        Assert.True(several.Input.IsArray);
        Assert.Null(several.Top);
    }

    [Theory]
    [InlineData("""{"input": "a", "labels": ["x"]}""", "input", "must be an array of strings, not a string.")]
    [InlineData("""{"input": ["a", 1], "labels": ["x", "y"]}""", "input[1]", "must be a string, not a number.")]
    [InlineData("""{"input": ["a"], "labels": "x"}""", "labels", "must be an array of strings, one per text of input, not a string.")]
    [InlineData("""{"input": ["a"], "labels": [{}]}""", "labels[0]", "must be a string, not an object.")]
    [InlineData("""{"method": "svm"}""", "method", "'svm' is not a classifier method; use logistic or knn.")]
    [InlineData("""{"method": 1}""", "method", "must be a string, not a number.")]
    [InlineData("""{"c": "1"}""", "c", "must be a number, not a string.")]
    [InlineData("""{"k": 1.5}""", "k", "must be a whole number, not a number.")]
    [InlineData("""{"replace": "yes"}""", "replace", "must be true or false, not a string.")]
    [InlineData("""{"model": ["words"]}""", "model", "must be a string, not an array.")]
    public void A_training_request_names_the_value_at_fault(string json, string param, string message)
    {
        var (actualParam, actualMessage) = Refusal(RequestTypes.TrainClassifier, json);
        Assert.Equal(param, actualParam);
        Assert.Equal(message, actualMessage);
    }

    [Theory]
    [InlineData("""{"id": -1}""", "id", "Unable to parse point id -1: a point id is an unsigned integer or a UUID string.")]
    [InlineData("""{"id": 1.5}""", "id", "Unable to parse point id 1.5: a point id is an unsigned integer or a UUID string.")]
    [InlineData("""{"id": ""}""", "id", "is \"\"; give a number, a UUID or a stored id string of 1 to 512 characters.")]
    [InlineData("""{"id": true}""", "id", "is true; give a number, a UUID or a stored id string of 1 to 512 characters.")]
    [InlineData("""{"id": {"a": [1]}}""", "id", "is {\"a\":[1]}; give a number, a UUID or a stored id string of 1 to 512 characters.")]
    [InlineData("""{"id": 1, "limit": "2"}""", "limit", "must be a whole number, not a string.")]
    public void An_inspect_request_names_the_value_at_fault(string json, string param, string message)
    {
        var (actualParam, actualMessage) = Refusal(RequestTypes.Inspect, json);
        Assert.Equal(param, actualParam);
        Assert.Equal(message, actualMessage);
    }

    [Theory]
    [InlineData("""{"id": 7}""", "7", "7")]
    [InlineData("""{"id": "notes.md#3"}""", "notes.md#3", "\"notes.md#3\"")]
    [InlineData("""{"id": "5C56C793-69F3-4FBF-87E6-C4BF54C28C26"}""", "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", "\"5C56C793-69F3-4FBF-87E6-C4BF54C28C26\"")]
    [InlineData("""{"id": "5c56c79369f34fbf87e6c4bf54c28c26"}""", "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", "\"5c56c79369f34fbf87e6c4bf54c28c26\"")]
    public void An_inspected_id_is_read_as_it_is_stored(string json, string stored, string shown)
    {
        var id = RequestBody.Parse(Encoding.UTF8.GetBytes(json), RequestTypes.Inspect).Id;
        Assert.Equal(stored, id.Value);
        Assert.Equal(shown, id.Shown);
    }

    [Fact]
    public void A_stored_id_string_may_be_as_long_as_the_store_allows_and_no_longer()
    {
        var longest = new string('x', Store.Collections.Collection.MaxIdLength);
        Assert.Equal(longest, RequestBody.Parse(Encoding.UTF8.GetBytes($$"""{"id": "{{longest}}"}"""), RequestTypes.Inspect).Id.Value);
        var (param, message) = Refusal(RequestTypes.Inspect, $$"""{"id": "{{longest}}x"}""");
        Assert.Equal("id", param);
        Assert.EndsWith("give a number, a UUID or a stored id string of 1 to 512 characters.", message, StringComparison.Ordinal);
    }
}
