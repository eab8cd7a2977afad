using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Quiver.Cli.Parsing;
using Quiver.Cluster;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Server;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver serve</c>: the HTTP server (OpenAI-compatible embeddings, Qdrant-compatible collections).</summary>
internal static class ServeCommand
{
    /// <summary>The exit code when the address to listen on is taken, so that scripts can tell it from other failures.</summary>
    public const int AddressInUseExitCode = 3;

    public static Command Create(CliContext context)
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (';'-separated URLs; default {ServerOptions.DefaultUrl}, loopback only)" };
        var port = new Option<int?>("--port") { Description = $"Listen on http://127.0.0.1:N (short for --urls; else {ServerOptions.PortVariable}, else 6333; 0 picks a free port)" }.Between(0, 65535, "6334");
        var grpcPort = new Option<int?>("--grpc-port") { Description = "Where Qdrant's gRPC API (the official .NET client's protocol) listens, on the host of the first URL (default: that URL's port + 1, so 6334 beside 6333 as Qdrant; 0 picks a free port)" }.Between(0, 65535, "6334");
        var noGrpc = new Option<bool>("--no-grpc") { Description = "Serve no gRPC API (REST only)" };
        var apiKeys = new Option<string[]>("--api-key") { Description = $"An admin key (repeatable); also read from {ServerOptions.ApiKeyVariable}. With none, no key is asked for", AllowMultipleArgumentsPerToken = false };
        var readOnlyKeys = new Option<string[]>("--read-only-key") { Description = $"A read-only key (repeatable); also read from {ServerOptions.ReadOnlyApiKeyVariable}" };
        var model = new Option<string?>("--model") { Description = $"The model for /v1/embeddings requests that name none (default: {ModelCatalogue.DefaultTextModelRule})" };
        var truncation = new Option<TruncationPolicy>("--truncation") { Description = "Inputs longer than the model reads, when a request does not say: Truncate (reported), Chunk or Error", DefaultValueFactory = _ => TruncationPolicy.Truncate };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads per model call (0: one per core)", DefaultValueFactory = _ => 1 }.AtLeast(0, "1");
        var workers = new Option<int>("--workers") { Description = "Model calls at once per model, each on its own batch of waiting requests (0: cores ÷ threads)" }.AtLeast(0, "2");
        var spinning = new Option<bool>("--spinning") { Description = "Let ONNX Runtime's threads spin between batches (off by default, so idle model threads leave the cores to HTTP)" };
        var modelBatch = new Option<int>("--model-batch") { Description = "Most sequences per ONNX Runtime run (merged requests are sorted by length and cut into runs of at most this many where padding costs more than a run)", DefaultValueFactory = _ => new ServerLimits().ModelBatchSize }.AtLeast(1, "32");
        var linger = new Option<double>("--batch-linger-ms") { Description = "Under concurrent load, how long a model call waits for more requests to merge (0: never waits)", DefaultValueFactory = _ => new ServerLimits().BatchLingerMilliseconds }.Between(0, 1000, "2");
        var cacheEntries = new Option<int>("--cache-entries") { Description = "Embeddings each model keeps in memory for texts that come again (0: no cache)", DefaultValueFactory = _ => new ServerLimits().EmbeddingCacheEntries }.AtLeast(0, "10000");
        var maxConcurrent = new Option<int>("--max-concurrent") { Description = "Requests served at once", DefaultValueFactory = _ => new ServerLimits().MaxConcurrentRequests }.AtLeast(1, "64");
        var queue = new Option<int>("--queue") { Description = "Requests that may wait; beyond it 429 with Retry-After", DefaultValueFactory = _ => new ServerLimits().QueueLimit }.AtLeast(0, "256");
        var maxBody = new Option<long>("--max-body-mib") { Description = "Largest request body in MiB", DefaultValueFactory = _ => new ServerLimits().MaxBodyBytes >> 20 }.Between(1, 1 << 20, "16");
        var maxPoints = new Option<int>("--max-points") { Description = "Most points per request: one upsert, get or delete, results of one search or scroll page, and the points one map, clustering or outlier scoring reads (a larger collection is sampled with the seed)", DefaultValueFactory = _ => new ServerLimits().MaxPointsPerRequest }.Between(1, 10_000_000, "100000");
        var maxRequestTokens = new Option<int>("--max-request-tokens") { Description = "Most tokens one /v1/embeddings request may cost (every chunk window counted); more is refused with 413 before any model work", DefaultValueFactory = _ => new ServerLimits().MaxTokensPerRequest }.AtLeast(1, "100000");
        var batchMaxTokens = new Option<int>("--batch-max-tokens") { Description = "Most tokens per model call; large requests are cut into slices of this size and waiting requests take turns between them", DefaultValueFactory = _ => new ServerLimits().BatchMaxTokens }.AtLeast(1, "4096");
        var deadline = new Option<double>("--deadline-s") { Description = "Seconds an embeddings request may take, queue and model time together; past it 503 and its remaining work is dropped", DefaultValueFactory = _ => new ServerLimits().EmbeddingDeadline.TotalSeconds }.Between(0.001, 86_400, "300");
        var bodyMemory = new Option<long>("--body-memory-mib") { Description = "Memory for request body buffers at once, in MiB; beyond it bodies wait up to 30 s, then 503", DefaultValueFactory = _ => new ServerLimits().MaxBodyMemoryBytes >> 20 }.Between(1, 1 << 20, "256");
        var parsedMemory = new Option<long>("--parsed-memory-mib") { Description = "Memory for the fields parsed from request bodies at once, in MiB (estimated before parsing); beyond it 503", DefaultValueFactory = _ => new ServerLimits().MaxParsedMemoryBytes >> 20 }.Between(1, 1 << 20, "768");
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Structured (JSON) logs" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "The certificate for https:// URLs: PEM (with --tls-key, or its key inside) or PFX without a password; or set ASPNETCORE_Kestrel__Certificates__Default__Path" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert" };
        var allowAnonymous = new Option<bool>("--allow-anonymous") { Description = $"Listen beyond loopback with no API key (refused otherwise: give --api-key or {ServerOptions.ApiKeyVariable})" };
        var cluster = new Option<bool>("--cluster") { Description = "Cluster mode: host an Orleans silo beside the HTTP APIs, so PUT /collections/{name} with shard_number and replication_factor creates a distributed collection (needs --redis)" };
        var redis = new Option<string?>("--redis") { Description = "With --cluster: the Redis server (HOST:PORT) holding the cluster's membership table; every server of the cluster names the same one" };
        var siloName = new Option<string?>("--silo-name") { Description = "With --cluster: this silo's name, stable across restarts since replicas are pinned to it (default: silo-<silo port>)" };
        var siloPort = new Option<int>("--silo-port") { Description = "With --cluster: the port silos talk to each other on", DefaultValueFactory = _ => 11111 }.Between(1, 65535, "11112");
        var gatewayPort = new Option<int>("--gateway-port") { Description = "With --cluster: the port Orleans clients connect to", DefaultValueFactory = _ => 30000 }.Between(1, 65535, "30001");
        var clusterId = new Option<string>("--cluster-id") { Description = "With --cluster: the cluster's id (servers with the same Redis and id form one cluster)", DefaultValueFactory = _ => "quiver" };
        var command = new Command(
            "serve",
            "Serve embeddings to OpenAI clients (POST /v1/embeddings, GET /v1/models) and collections to Qdrant clients " +
            "(/collections/... over REST, and Qdrant's gRPC API on a second port: 6334 beside 6333), with API keys, limits, /metrics (Prometheus), /healthz, /readyz, /docs and /openapi/v1.json. " +
            "Ctrl+C (SIGTERM) finishes the requests in flight and flushes the store. " +
            $"When the address is taken it says so in one line and exits with {AddressInUseExitCode}.\n\n" +
            "Beyond loopback it needs an API key or --allow-anonymous; https:// URLs need --tls-cert (or Kestrel's certificate settings).\n\n" +
            "Examples:\n  quiver serve\n  QUIVER_API_KEY=secret quiver serve --urls http://0.0.0.0:6333 --read-only-key reader\n" +
            "  QUIVER_API_KEY=secret quiver serve --urls https://0.0.0.0:6333 --tls-cert cert.pem --tls-key key.pem\n" +
            "  QUIVER_PORT=6400 quiver serve    (or: quiver serve --port 6400; gRPC then on 6401)\n" +
            "  quiver serve --grpc-port 7334    (or --no-grpc for REST only)\n" +
            "  quiver serve --max-points 100000    (then open http://127.0.0.1:6333/explorer: maps of up to 100,000 points)\n" +
            "  quiver serve --port 6400 --cluster --redis 127.0.0.1:6379 --silo-name silo-1 --silo-port 11111 --gateway-port 30000\n" +
            "  curl -s localhost:6333/v1/embeddings -H 'content-type: application/json' -d '{\"input\": \"hello\", \"model\": \"all-minilm-l6-v2\"}'")
        {
            urls, port, apiKeys, readOnlyKeys, model, truncation, threads, workers, spinning, modelBatch, linger, cacheEntries, maxConcurrent, queue, maxBody, bodyMemory, parsedMemory, jsonLogs,
            tlsCert, tlsKey, allowAnonymous, maxRequestTokens, batchMaxTokens, deadline, grpcPort, noGrpc, maxPoints, cluster, redis, siloName, siloPort, gatewayPort, clusterId,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var limits = new ServerLimits
            {
                MaxConcurrentRequests = result.GetValue(maxConcurrent),
                ModelBatchSize = result.GetValue(modelBatch),
                BatchLingerMilliseconds = result.GetValue(linger),
                QueueLimit = result.GetValue(queue),
                EmbeddingCacheEntries = result.GetValue(cacheEntries),
                MaxBodyBytes = result.GetValue(maxBody) << 20,
                MaxPointsPerRequest = result.GetValue(maxPoints),
                MaxTokensPerRequest = result.GetValue(maxRequestTokens),
                BatchMaxTokens = result.GetValue(batchMaxTokens),
                EmbeddingDeadline = TimeSpan.FromSeconds(result.GetValue(deadline)),
                MaxBodyMemoryBytes = result.GetValue(bodyMemory) << 20,
                MaxParsedMemoryBytes = result.GetValue(parsedMemory) << 20,
            };
            var listen = ListenUrls(result.GetValue(urls), result.GetValue(port), Environment.GetEnvironmentVariable(ServerOptions.PortVariable));
            var options = new ServerOptions
            {
                Paths = context.Paths,
                Urls = listen,
                GrpcUrl = GrpcUrl(listen, result.GetValue(grpcPort), result.GetValue(noGrpc)),
                AdminKeys = result.GetValue(apiKeys) ?? [],
                ReadOnlyKeys = result.GetValue(readOnlyKeys) ?? [],
                DefaultModel = result.GetValue(model),
                Truncation = result.GetValue(truncation),
                Threads = result.GetValue(threads),
                Workers = result.GetValue(workers),
                Spinning = result.GetValue(spinning),
                Limits = limits,
                JsonLogs = result.GetValue(jsonLogs),
                TlsCertificatePath = result.GetValue(tlsCert),
                TlsKeyPath = result.GetValue(tlsKey),
                AllowAnonymous = result.GetValue(allowAnonymous),
                Cluster = ClusterOf(
                    result.GetValue(cluster), result.GetValue(redis), result.GetValue(siloName), result.GetValue(siloPort), result.GetValue(gatewayPort), result.GetValue(clusterId)!,
                    Path.Combine(context.Paths.Home, "cluster")),
            }.WithEnvironmentKeys();
            await using var app = QuiverServer.Build(options);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e) when (IsAddressInUse(e))
            {
                context.WriteError(
                    $"cannot listen on {options.Urls}: the address{(options.GrpcUrl is null ? "" : $" (or gRPC's {options.GrpcUrl})")} is in use by another program (6333 and 6334 are also Qdrant's ports). " +
                    $"Pick a free port with --port N or {ServerOptions.PortVariable}=N (e.g. quiver serve --port 6400), and for gRPC --grpc-port N or --no-grpc.");
                return AddressInUseExitCode;
            }

            if (options.IsOpenToNetwork)
            {
                context.Error.WriteLine(
                    $"quiver serve: warning: no API key, and {string.Join(", ", app.Urls)} is reachable beyond this machine (--allow-anonymous): anyone who reaches it may read, write and delete collections.");
            }

            var grpc = QuiverServer.GrpcUrl(app);
            var rest = string.Join(", ", app.Urls.Where(url => url != grpc));
            context.Error.WriteLine(grpc is null
                ? $"quiver serve: listening on {rest} (collections in {context.Paths.Collections}); Ctrl+C stops."
                : $"quiver serve: listening on {rest} (REST) and {grpc} (gRPC, Qdrant.Client) (collections in {context.Paths.Collections}); Ctrl+C stops.");
            if (options.Cluster is { } silo)
            {
                context.Error.WriteLine($"quiver serve: silo {silo.SiloName} in cluster '{silo.ClusterId}' (Redis {silo.Redis}, silo port {silo.SiloPort}, gateway port {silo.GatewayPort}; replicas in {silo.DataRoot}).");
            }
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>The silo this server hosts with --cluster (replicas under QUIVER_HOME/cluster), or null without it; cluster options without --cluster are refused.</summary>
    internal static ClusterHostOptions? ClusterOf(bool cluster, string? redis, string? siloName, int siloPort, int gatewayPort, string clusterId, string dataRoot)
    {
        if (!cluster)
        {
            return redis is null && siloName is null
                ? null
                : throw new QuiverException("--redis and --silo-name only mean something in cluster mode: add --cluster (e.g. quiver serve --cluster --redis 127.0.0.1:6379).");
        }

        if (string.IsNullOrWhiteSpace(redis) || !redis.Contains(':', StringComparison.Ordinal))
        {
            throw new QuiverException($"--cluster needs --redis HOST:PORT, the Redis server holding the membership table (got '{redis}'); e.g. quiver serve --cluster --redis 127.0.0.1:6379.");
        }

        if (siloPort == gatewayPort)
        {
            throw new QuiverException($"--silo-port and --gateway-port are both {siloPort}; give them different ports (defaults 11111 and 30000).");
        }

        return new ClusterHostOptions(siloName ?? $"silo-{siloPort}", siloPort, gatewayPort, redis, dataRoot, clusterId);
    }

    /// <summary>
    /// Where to listen: --urls, or --port on loopback, or QUIVER_PORT on loopback, or the default. --urls and --port
    /// together are refused rather than one silently winning.
    /// </summary>
    internal static string ListenUrls(string? urls, int? port, string? environmentPort)
    {
        if (urls is not null && port is not null)
        {
            throw new QuiverException($"Pass --port or --urls, not both: --port {port} is short for --urls http://127.0.0.1:{port}.");
        }

        if (urls is not null)
        {
            return urls;
        }

        if (port is not null)
        {
            return Loopback(port.Value);
        }

        if (string.IsNullOrWhiteSpace(environmentPort))
        {
            return ServerOptions.DefaultUrl;
        }

        return int.TryParse(environmentPort, NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) && fromEnvironment <= 65535
            ? Loopback(fromEnvironment)
            : throw new QuiverException(
                $"{ServerOptions.PortVariable} is '{environmentPort}', which is not a port: set it to a number from 1 to 65535 (0 picks a free port), or unset it for {ServerOptions.DefaultUrl}.");
    }

    /// <summary>
    /// Where gRPC listens: the first URL's scheme and host with --grpc-port, else that URL's port + 1 (6334 beside 6333,
    /// as Qdrant; a free port beside a free REST port); null with --no-grpc.
    /// </summary>
    internal static string? GrpcUrl(string urls, int? grpcPort, bool noGrpc)
    {
        if (noGrpc)
        {
            return grpcPort is null ? null : throw new QuiverException($"Pass --grpc-port or --no-grpc, not both: --grpc-port {grpcPort} serves gRPC, --no-grpc turns it off.");
        }

        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var colon = first.LastIndexOf(':');
        var portText = first[(colon + 1)..].TrimEnd('/');
        if (colon < 0 || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var restPort))
        {
            throw new QuiverException($"cannot tell the port of {first} to put gRPC beside it: give --grpc-port N (Qdrant's is 6334), or --no-grpc.");
        }

        var chosen = grpcPort ?? (restPort == 0 ? 0 : restPort + 1);
        if (chosen > 65535)
        {
            throw new QuiverException($"REST listens on port {restPort}, so gRPC's default (its port + 1) is past 65535: give --grpc-port N, or --no-grpc.");
        }

        return $"{first[..colon]}:{chosen.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Loopback(int port) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Kestrel reports a taken address as an IOException wrapping AddressInUseException (a SocketException below it).</summary>
    private static bool IsAddressInUse(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }
}
