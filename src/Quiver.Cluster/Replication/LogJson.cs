using System.Text.Json.Serialization;

namespace Quiver.Cluster.Replication;

[JsonSerializable(typeof(ShardOperation))]
[JsonSerializable(typeof(LogBase))]
internal sealed partial class LogJson : JsonSerializerContext;
