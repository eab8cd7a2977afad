using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Quiver.Core;

namespace Quiver.Server.Grpc;

/// <summary>
/// The second port, where Qdrant's gRPC services listen (6334 beside REST's 6333, as Qdrant does): HTTP/2 only, so
/// plain-text (h2c) clients such as Qdrant.Client's default channel reach it; https when the REST URLs are https.
/// </summary>
internal sealed class GrpcListener
{
    private GrpcListener(string url, int port)
    {
        Url = url;
        Port = port;
    }

    /// <summary>Where gRPC listens, with its real port (a port 0 is given a free one before Kestrel binds).</summary>
    public string Url { get; }

    public int Port { get; }

    public static GrpcListener? For(ServerOptions options)
    {
        if (options.GrpcUrl is not { } url)
        {
            return null;
        }

        var (scheme, host, port) = Parse(url);
        if (port == 0)
        {
            // Kestrel tells HTTP/2-only endpoints apart by port, so a free one is picked now rather than at bind time.
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        foreach (var rest in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Parse(rest).Port == port)
            {
                throw new QuiverException($"the gRPC port {port} is also a REST port ({rest}): give gRPC its own (--grpc-port N; Qdrant's is 6334), or turn it off with --no-grpc.");
            }
        }

        return new GrpcListener($"{scheme}://{host}:{port.ToString(CultureInfo.InvariantCulture)}", port);
    }

    public void Configure(KestrelServerOptions kestrel) =>
        kestrel.ConfigureEndpointDefaults(endpoint =>
        {
            if (endpoint.IPEndPoint?.Port == Port)
            {
                endpoint.Protocols = HttpProtocols.Http2;
            }
        });

    public static void AddServices(IServiceCollection services, ServerOptions options) =>
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<QdrantGrpcGate>();

            // The same ceiling as a REST body; a larger message is refused with RESOURCE_EXHAUSTED before it is read.
            grpc.MaxReceiveMessageSize = (int)Math.Min(options.Limits.MaxBodyBytes, int.MaxValue);
            grpc.MaxSendMessageSize = null;
        });

    public void Map(IEndpointRouteBuilder routes)
    {
        var host = $"*:{Port.ToString(CultureInfo.InvariantCulture)}";
        routes.MapGrpcService<CollectionsService>().RequireHost(host);
        routes.MapGrpcService<PointsService>().RequireHost(host);
        routes.MapGrpcService<SnapshotsService>().RequireHost(host);
        routes.MapGrpcService<HealthService>().RequireHost(host);
    }

    /// <summary>Whether a request is a call of a gRPC method, which <see cref="QdrantGrpcGate"/> guards instead of the HTTP middleware.</summary>
    public static bool IsCall(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<global::Grpc.AspNetCore.Server.GrpcMethodMetadata>() is not null;

    private static (string Scheme, string Host, int Port) Parse(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            throw new QuiverException($"'{url}' is not a URL to listen on: write it as http://HOST:PORT (e.g. http://127.0.0.1:6334).");
        }

        var authority = url[(scheme + 3)..].TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        if (colon < 0 || authority.EndsWith(']') || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new QuiverException($"'{url}' names no port: write it as {url[..scheme]}://HOST:PORT (e.g. http://127.0.0.1:6334).");
        }

        return (url[..scheme], authority[..colon], port);
    }
}
