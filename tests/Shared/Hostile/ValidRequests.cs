using System.Text.Json.Nodes;

namespace Quiver.Tests.Shared.Hostile;

/// <summary>
/// One or more valid requests for each operation of Quiver's OpenAPI document, aimed at the run's collections: reads
/// at the protected ones, writes at the scratch one. An operation the document gains without a request here is
/// still sent its path, query and header mutations, and the generator reports it as unseeded.
/// </summary>
internal static class ValidRequests
{
    public static IReadOnlyList<ValidRequest> For(HostileTarget target, string operation, HttpMethod method, string template)
    {
        var keep = new Dictionary<string, string> { ["name"] = target.Keep };
        var notes = new Dictionary<string, string> { ["name"] = target.Notes };
        var scratch = new Dictionary<string, string> { ["name"] = target.Scratch };
        var none = new Dictionary<string, string>();
        var filter = Parse("""{"must": [{"key": "tag", "match": {"value": "t1"}}], "must_not": [{"key": "n", "range": {"gte": 10, "lt": 11.5}}]}""");
        ValidRequest Read(IReadOnlyDictionary<string, string> parameters, string? body = null) =>
            new(operation, method, template, parameters, body is null ? null : Parse(body), Writes: false);
        ValidRequest Write(IReadOnlyDictionary<string, string> parameters, string? body = null) =>
            new(operation, method, template, parameters, body is null ? null : Parse(body), Writes: true) { Query = "?wait=true" };

        return operation switch
        {
            "createEmbedding" =>
            [
                Read(none, $$"""{"input": ["the cat sat on the mat", "a dog barks"], "model": "{{target.Model}}", "encoding_format": "float", "truncation": "truncate"}"""),
                Read(none, $$"""{"input": [[2, 7, 8], [9, 10]], "model": "{{target.Model}}", "encoding_format": "base64"}"""),
            ],
            "retrieveModel" => [Read(new Dictionary<string, string> { ["model"] = target.Model })],
            "create_collection" =>
            [
                Write(new Dictionary<string, string> { ["name"] = target.Scratch + "-created" }, """{"vectors": {"size": 4, "distance": "Cosine"}, "hnsw_config": {"m": 8, "ef_construct": 64}}"""),
                Write(new Dictionary<string, string> { ["name"] = target.Scratch + "-text" }, $$"""{"model": "{{target.Model}}"}"""),
            ],
            "get_collection" or "collection_exists" => [Read(keep)],
            "delete_collection" => [Write(scratch)],
            "rebalance_collection" => [Write(scratch, "{}"), Write(scratch)],
            "create_field_index" => [Write(scratch, """{"field_name": "tag", "field_schema": "keyword"}"""), Write(scratch, """{"field_name": "n", "field_schema": {"type": "float"}}""")],
            "retrieve_context" => [Read(notes, """{"question": "where does the whale swim", "mode": "hybrid", "budget_tokens": 64, "candidates": 5, "mmr": 0.5, "filter": {"must": [{"key": "n", "range": {"gte": 0}}]}}""")],
            "upsert_points" =>
            [
                Write(scratch, """{"points": [{"id": 7, "vector": [0.1, 0.2, 0.3, 0.4], "payload": {"tag": "a", "n": 1, "deep": {"x": [1, "y"]}}}, {"id": "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", "vector": [1, 0, 0, 1], "payload": {"tag": "b"}}]}"""),
                Write(scratch, """{"batch": {"ids": [8, 9], "vectors": [[1, 2, 3, 4], [4, 3, 2, 1]], "payloads": [{"tag": "c"}, {"n": 2.5}]}}"""),
            ],
            "get_points" => [Read(keep, """{"ids": [1, 2, 999], "with_payload": true, "with_vector": true}""")],
            "get_point" => [Read(new Dictionary<string, string> { ["name"] = target.Keep, ["id"] = "3" })],
            "delete_points" => [Write(scratch, """{"points": [7, 999]}"""), Write(scratch, $$"""{"filter": {{filter.ToJsonString()}}}""")],
            "scroll_points" => [Read(keep, $$"""{"limit": 5, "offset": 2, "filter": {{filter.ToJsonString()}}, "with_payload": {"include": ["tag"]}, "with_vector": false}""")],
            "count_points" => [Read(keep, """{"filter": {"should": [{"key": "n", "range": {"gte": 2, "lt": 9}}, {"is_empty": {"key": "missing"}}]}, "exact": true}""")],
            "search_points" =>
            [
                Read(keep, $$"""{"vector": [1, 2, 3, 4], "limit": 3, "offset": 1, "score_threshold": 0.1, "filter": {{filter.ToJsonString()}}, "with_payload": ["tag", "n"], "with_vector": true, "params": {"hnsw_ef": 32, "exact": false} }"""),
                Read(notes, """{"text": "a ship on the sea", "limit": 2}"""),
            ],
            "query_points" =>
            [
                Read(keep, """{"query": [1, 0, 2, 0], "limit": 4, "offset": 0, "with_payload": true, "with_vector": false, "params": {"exact": true}, "filter": {"must": {"key": "tag", "match": {"any": ["t0", "t2"]}}}}"""),
                Read(notes, """{"query": {"nearest": {"text": "the frog jumps"}}, "limit": 2, "score_threshold": -1}"""),
                Read(keep, """{"query": 5}"""),
                Read(keep, """{"query": {"recommend": {"positive": [1, [0, 1, 0, 1]], "negative": [4]}}, "filter": {"must": [{"key": "tag", "match": {"value": "t1"}}]}, "limit": 2}"""),
            ],
            "set_payload" or "overwrite_payload" => [Write(scratch, """{"payload": {"color": "red", "size": [1, 2]}, "points": [7, 8]}"""), Write(scratch, """{"payload": {"seen": true}, "filter": {"must": [{"key": "tag", "match": {"value": "a"}}]}}""")],
            "recommend_points" => [Read(keep, """{"positive": [1, 2], "negative": [[0, 1, 0, 1]], "limit": 3, "with_payload": true}"""), Read(keep, """{"positive": [3], "negative": [4], "strategy": "best_score", "filter": {"must": [{"key": "tag", "match": {"value": "t1"}}]}}""")],
            "recommend_batch_points" => [Read(keep, """{"searches": [{"positive": [1, 2], "limit": 3}, {"positive": [3], "negative": [[0, 1, 0, 1]], "strategy": "sum_scores", "offset": 1, "with_payload": ["tag"]}]}""")],
            "search_batch_points" => [Read(keep, """{"searches": [{"vector": [1, 2, 3, 4], "limit": 2}, {"vector": [4, 3, 2, 1], "filter": {"must": [{"key": "tag", "match": {"value": "t1"}}]}, "with_vector": true}]}"""), Read(notes, """{"searches": [{"text": "a ship on the sea", "limit": 2}]}""")],
            "query_batch_points" => [Read(keep, """{"searches": [{"query": [1, 0, 2, 0], "limit": 2}, {"query": {"recommend": {"positive": [1], "negative": [2], "strategy": "best_score"}}, "limit": 3, "score_threshold": 0}, {}]}""")],
            "list_classifiers" => [Read(none)],
            "classify_texts" =>
            [
                Read(new Dictionary<string, string> { ["name"] = target.Classifier }, """{"input": ["the whale swims", "a cat sat on the mat"], "top": 1}"""),
                Read(new Dictionary<string, string> { ["name"] = target.Classifier }, """{"input": "a ship on the sea"}"""),
            ],
            "train_classifier" =>
            [
                Write(new Dictionary<string, string> { ["name"] = target.Scratch + "-classifier" }, $$"""{"input": ["the whale swims", "a ship sails", "the cat sat", "a dog barks"], "labels": ["sea", "sea", "land", "land"], "model": "{{target.Model}}", "method": "knn", "k": 1, "replace": true}"""),
                Write(new Dictionary<string, string> { ["name"] = target.Scratch + "-classifier" }, """{"input": ["the whale swims", "the cat sat"], "labels": ["sea", "land"], "c": 0.5, "replace": true}"""),
            ],
            "project_points" => [Read(keep, """{"method": "pca", "dimensions": 2, "with_payload": true}"""), Read(keep, """{"method": "umap", "dimensions": 3, "seed": 7, "limit": 20}""")],
            "update_aliases" => [Write(none, $$$"""{"actions": [{"create_alias": {"collection_name": "{{{target.Scratch}}}", "alias_name": "{{{target.Scratch}}}-alias"}}, {"rename_alias": {"old_alias_name": "{{{target.Scratch}}}-alias", "new_alias_name": "{{{target.Scratch}}}-renamed"}}, {"delete_alias": {"alias_name": "{{{target.Scratch}}}-renamed"}}]}""")],
            "get_collection_aliases" or "list_snapshots" => [Read(keep)],
            "create_snapshot" => [Write(scratch)],
            "get_snapshot" => [Read(new Dictionary<string, string> { ["name"] = target.Keep, ["snapshot_name"] = target.KeepSnapshot })],
            "delete_snapshot" => [Write(new Dictionary<string, string> { ["name"] = target.Scratch, ["snapshot_name"] = target.ScratchSnapshots[0] })],
            "recover_from_snapshot" => [Write(scratch, $$"""{"location": "{{target.ScratchSnapshots[1]}}", "priority": "snapshot"}""")],
            "recover_from_uploaded_snapshot" => [new ValidRequest(operation, method, template, scratch, null, Writes: true) { Query = "?wait=true&priority=snapshot", RawBody = target.ScratchSnapshotFile }],
            "reembed_collection" => [Write(notes, $$"""{"model": "{{target.Model}}", "into": "{{target.Notes}}-reembedded", "batch_size": 16}""")],
            "get_reembed_status" => [Read(notes)],
            "cluster_points" => [Read(keep, """{"k": 2, "keywords": 3, "seed": 1, "limit": 50}"""), Read(notes, """{"k": 1}""")],
            "outlier_points" => [Read(keep, """{"method": "knn_distance", "k": 2, "top": 3, "seed": 1, "limit": 50}"""), Read(notes, """{"method": "lof"}""")],
            "explorer_file" => [Read(new Dictionary<string, string> { ["file"] = "explorer.js" }), Read(new Dictionary<string, string> { ["file"] = "explorer.css" })],
            "inspect_point" => [Read(keep, """{"id": 3, "limit": 4}"""), Read(notes, """{"id": 1, "limit": 0}""")],
            "collection_overview" => [Read(keep), Read(notes)],
            "search_text" => [Read(notes, $$"""{"text": "whale sea", "mode": "hybrid", "limit": 3, "filter": {{filter.ToJsonString()}}}"""), Read(notes, """{"text": "frog", "mode": "dense"}"""), Read(keep, """{"text": "t1", "mode": "keyword"}""")],
            "delete_payload" => [Write(scratch, """{"keys": ["color", "tag"], "points": [7]}""")],
            "clear_payload" => [Write(scratch, """{"points": [8]}""")],
            _ when method == HttpMethod.Get && !template.Contains('{', StringComparison.Ordinal) => [Read(none)],
            _ => [],
        };
    }

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;
}
