using System.Globalization;
using System.Text.Json.Nodes;
using Quiver.Server.Collections;
using Quiver.Server.Http;
using Q = Qdrant.Client.Grpc;

namespace Quiver.Server.Grpc;

/// <summary>Qdrant's PointId messages and the string ids Quiver stores, by the same rules as REST (<see cref="PointIds"/>).</summary>
internal static class GrpcPointIds
{
    public static string Parse(Q.PointId? id, string path) => id?.PointIdOptionsCase switch
    {
        Q.PointId.PointIdOptionsOneofCase.Num => id.Num.ToString(CultureInfo.InvariantCulture),
        Q.PointId.PointIdOptionsOneofCase.Uuid => PointIds.Parse(JsonValue.Create(id.Uuid), path),
        _ => throw ApiException.BadRequest("Unable to parse point id: a point id is an unsigned integer (num) or a UUID string (uuid), and none was given.", path),
    };

    public static List<string> ParseMany(IReadOnlyList<Q.PointId> ids, string path, int limit)
    {
        if (ids.Count > limit)
        {
            throw ApiException.BadRequest($"has {ids.Count} ids; one request takes at most {limit}.", path);
        }

        return [.. ids.Select((id, i) => Parse(id, $"{path}[{i}]"))];
    }

    public static Q.PointId ToGrpc(string id) =>
        PointIds.ToJson(id) is JsonValue value && value.TryGetValue<ulong>(out var number)
            ? new Q.PointId { Num = number }
            : new Q.PointId { Uuid = id };

    /// <summary>How a request wrote an id, for messages ("No point with id 7 found").</summary>
    public static string Shown(Q.PointId id) =>
        id.PointIdOptionsCase == Q.PointId.PointIdOptionsOneofCase.Num ? id.Num.ToString(CultureInfo.InvariantCulture) : $"\"{id.Uuid}\"";
}
