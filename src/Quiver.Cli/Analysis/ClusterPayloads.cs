using System.Text.Json.Nodes;
using Quiver.Analysis.Topics;
using Quiver.Store.Collections;

namespace Quiver.Cli.Analysis;

/// <summary>
/// Writes a clustering back into the collections its points came from: <c>cluster</c> (an integer, −1 for noise)
/// and <c>topic</c> (the cluster's keywords, "noise" for −1) in each point's payload, one transaction per cluster,
/// leaving vectors and other payload fields as they are.
/// </summary>
internal static class ClusterPayloads
{
    public const string ClusterField = "cluster";
    public const string TopicField = "topic";

    public static int Write(CliContext context, AnalysisData data, int[] labels, IReadOnlyList<Topic> topics)
    {
        var origins = data.Collections ?? throw new InvalidOperationException("Only points read from collections can be written back.");
        var names = topics.ToDictionary(t => t.Cluster, t => t.Cluster < 0 ? "noise" : t.Name);
        var store = CollectionStore.FromPaths(context.Paths);
        var written = 0;
        foreach (var group in Enumerable.Range(0, data.Count).GroupBy(i => origins[i]))
        {
            using var collection = store.Open(group.Key);
            foreach (var cluster in group.GroupBy(i => labels[i]).OrderBy(g => g.Key))
            {
                var ids = cluster.Select(i => data.Ids[i]).ToList();
                var topic = names[cluster.Key];
                written += collection.EditPayload(ids, null, payload =>
                {
                    payload ??= [];
                    payload[ClusterField] = cluster.Key;
                    payload[TopicField] = topic;
                    return payload;
                });
            }

            context.Note($"wrote '{ClusterField}' and '{TopicField}' into the payloads of {group.Count():N0} points of '{group.Key}'");
        }

        return written;
    }
}
