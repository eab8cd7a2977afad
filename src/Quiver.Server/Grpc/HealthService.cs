using Grpc.Core;
using Quiver.Server.Grpc.Services;

namespace Quiver.Server.Grpc;

/// <summary>Qdrant's <c>qdrant.Qdrant/HealthCheck</c>: the server's title and version, open to callers without a key as /healthz is.</summary>
internal sealed class HealthService : Services.Qdrant.QdrantBase
{
    private static readonly string Version = typeof(HealthService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public override Task<HealthCheckReply> HealthCheck(HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new HealthCheckReply { Title = "quiver - Qdrant-compatible embeddings server", Version = Version });
}
