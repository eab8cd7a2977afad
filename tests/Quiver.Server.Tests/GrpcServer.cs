using Microsoft.Extensions.DependencyInjection;
using Qdrant.Client;
using Quiver.Server.Grpc;

namespace Quiver.Server.Tests;

/// <summary>A <see cref="ServerFixture"/> on loopback ports with Qdrant's gRPC API on its second port, and official Qdrant clients for it.</summary>
public sealed class GrpcServer : IAsyncDisposable
{
    public GrpcServer(Func<ServerOptions, ServerOptions>? configure = null)
    {
        Server = new ServerFixture(o => (configure?.Invoke(o) ?? o) with { GrpcUrl = "http://127.0.0.1:0" }, loopback: true);
        Port = Server.App.Services.GetRequiredService<GrpcListener>().Port;
    }

    public ServerFixture Server { get; }

    public int Port { get; }

    /// <summary>Qdrant.Client as an application would make it: host, port, plain http, and an API key when there is one.</summary>
    public QdrantClient Client(string? apiKey = null) => new("127.0.0.1", Port, https: false, apiKey: apiKey);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
