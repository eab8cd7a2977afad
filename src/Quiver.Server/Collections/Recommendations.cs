using Quiver.Server.Http;
using Quiver.Store.Collections;
using Quiver.Store.Recommendation;

namespace Quiver.Server.Collections;

/// <summary>Qdrant's recommend checks and examples, for REST and gRPC alike.</summary>
internal static class Recommendations
{
    public static RecommendStrategy Strategy(string? name, string path = "strategy") => name switch
    {
        null or "average_vector" => RecommendStrategy.AverageVector,
        "best_score" => RecommendStrategy.BestScore,
        "sum_scores" => RecommendStrategy.SumScores,
        _ => throw ApiException.BadRequest($"'{name}' is not a recommend strategy; use average_vector, best_score or sum_scores.", path),
    };

    public static void Check(RecommendStrategy strategy, int positive, int negative, string path = "positive")
    {
        if (strategy == RecommendStrategy.AverageVector && positive == 0)
        {
            throw ApiException.BadRequest("Positive vectors should not be empty with `average` strategy: give at least one positive example, or use best_score.", path);
        }

        if (positive + negative == 0)
        {
            throw ApiException.BadRequest("is required: at least one positive or negative example (a point id or a vector).", path);
        }
    }

    /// <summary>The examples' vectors; the ids among them are added to <paramref name="excluded"/>, as Qdrant leaves them out of the answer.</summary>
    public static List<float[]> Vectors(Collection collection, IReadOnlyList<GivenExample> examples, string field, HashSet<string> excluded, ServerLimits limits)
    {
        if (examples.Count > limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"holds {examples.Count} examples; at most {limits.MaxPointsPerRequest} are accepted.", field);
        }

        var vectors = new List<float[]>(examples.Count);
        foreach (var example in examples)
        {
            if (example.Vector is { } vector)
            {
                if (vector.Length != collection.Dimensions)
                {
                    throw ApiException.BadRequest($"Wrong input: Vector dimension error: expected dim: {collection.Dimensions}, got {vector.Length}", example.Path);
                }

                vectors.Add(vector);
                continue;
            }

            var point = collection.Get(example.Id!) ?? throw ApiException.NotFound($"Not found: No point with id {example.Shown} found", example.Path);
            excluded.Add(example.Id!);
            vectors.Add(point.Vector);
        }

        return vectors;
    }
}
