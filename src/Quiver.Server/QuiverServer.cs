using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quiver.Server.Classification;
using Quiver.Cluster;
using Quiver.Server.Cluster;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Grpc;
using Quiver.Server.Explorer;
using Quiver.Server.Http;
using Quiver.Server.Operations;
using Quiver.Server.Security;
using Quiver.Store.Collections;

namespace Quiver.Server;

/// <summary>
/// Builds the Quiver server: a thin ASP.NET Core host that wires the libraries to HTTP (and Qdrant's gRPC API on a second port). Only wiring lives here;
/// each API is in its own folder.
/// </summary>
public static class QuiverServer
{
    /// <param name="configure">A last say over the builder before it is built (tests use it to swap in a test server).</param>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new ApiKeys(options.AdminKeys, options.ReadOnlyKeys);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(QuiverServer).Assembly.GetName().Name });
        ListenAddresses.Check(options, builder.Configuration);
        var certificate = options.TlsCertificatePath is null ? null : TlsCertificate.Load(options.TlsCertificatePath, options.TlsKeyPath);
        var grpc = GrpcListener.For(options);
        string[] urls = [.. options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), .. grpc is null ? [] : new[] { grpc.Url }];
        builder.WebHost.UseUrls(urls);

        // The slim builder leaves out Kestrel's https support (https:// URLs and the Kestrel:Certificates settings) until asked.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxBodyBytes;

            // BodyArrival enforces the minimum body rate itself, answering 408 with a JSON body (Kestrel's has none).
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.AddServerHeader = false;
            grpc?.Configure(kestrel);
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
        builder.Host.ConfigureHostOptions(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Logging.ClearProviders();
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole();
        }
        else
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Whoever starts the host says where it listens, once. A failed start (a port in use) throws out of StartAsync
        // to that caller, so the host's "Hosting failed to start" would print the same exception's stack trace a second
        // time (its other Error log is for a failed BackgroundService, and this server has none).
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(options.Limits);
        services.AddSingleton(keys);
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<StoreReadiness>();
        services.AddSingleton(_ => new PrometheusExporter([ServerMetrics.MeterName, "Quiver.Models", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"]));
        services.AddSingleton(_ => new ServedModels(options));
        services.AddSingleton(s => new ServedCollections(
            options.Paths, s.GetRequiredService<ServedModels>(), s.GetRequiredService<ILogger<CollectionStore>>()));
        services.AddSingleton<EmbeddingBatcher>();
        services.AddSingleton<ProjectionCache>();
        services.AddSingleton<ReembedJobs>();
        services.AddSingleton(_ => new ServedClassifiers(options));
        services.AddSingleton(_ => new RequestMemory(options.Limits));
        services.AddSingleton(_ => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Limits.MaxConcurrentRequests,
            QueueLimit = options.Limits.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));
        services.AddSingleton<DistributedCollections>();
        services.AddSingleton<ClusterGauges>();
        if (options.Cluster is not null)
        {
            builder.Host.UseQuiverSilo(options.Cluster);
        }

        services.AddHostedService<StoreLifetime>();
        services.AddQuiverOpenApi();
        if (grpc is not null)
        {
            services.AddSingleton(grpc);
            GrpcListener.AddServices(services, options);
        }

        configure?.Invoke(builder);

        var app = builder.Build();

        // The exporter must exist before the first request so it sees ASP.NET Core's instruments as they are published.
        _ = app.Services.GetRequiredService<PrometheusExporter>();
        ObserveGauges(app.Services);

        app.UseMiddleware<ErrorHandling>();
        app.UseRouting();

        // gRPC calls stream their messages and answer in gRPC statuses: QdrantGrpcGate checks their keys and admits them.
        app.UseWhen(context => !GrpcListener.IsCall(context), rest =>
        {
            rest.UseMiddleware<AccessControl>();

            // The body is read before admission, so a slow upload never holds one of the request slots.
            rest.UseMiddleware<BodyArrival>();
            rest.UseMiddleware<AdmissionControl>();
        });

        // Cluster mode only: requests on distributed collections are answered here, the rest go on to the routes below.
        app.UseMiddleware<ClusterDispatch>();
        app.MapOpenApi("/openapi/{documentName}.json");
        OperationsEndpoints.Map(app);
        EmbeddingsEndpoints.Map(app);
        AliasesEndpoints.Map(app);
        CollectionsEndpoints.Map(app);
        SnapshotsEndpoints.Map(app);
        PointsEndpoints.Map(app);
        ContextEndpoints.Map(app);
        ProjectionEndpoints.Map(app);
        ReembedEndpoints.Map(app);
        grpc?.Map(app);
        TextSearchEndpoints.Map(app);
        InspectEndpoints.Map(app);
        ClustersEndpoints.Map(app);
        RebalanceEndpoints.Map(app);
        OutliersEndpoints.Map(app);
        OverviewEndpoints.Map(app);
        ExplorerPage.Map(app);
        ClassifiersEndpoints.Map(app);
        return app;
    }

    /// <summary>Where the built server's gRPC API listens (its real port), or null when it serves none.</summary>
    public static string? GrpcUrl(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetService<GrpcListener>()?.Url;
    }

    private static void ObserveGauges(IServiceProvider services)
    {
        var metrics = services.GetRequiredService<ServerMetrics>();
        var limiter = services.GetRequiredService<ConcurrencyLimiter>();
        var batcher = services.GetRequiredService<EmbeddingBatcher>();
        var collections = services.GetRequiredService<ServedCollections>();
        var memory = services.GetRequiredService<RequestMemory>();
        metrics.Observe<long>("quiver.server.body.memory", "By", "Bytes reserved for request body buffers",
            () => [new(memory.Buffers.Used)]);
        metrics.Observe<long>("quiver.server.body.fields.memory", "By", "Bytes reserved for the fields parsed from request bodies",
            () => [new(memory.Fields.Used)]);
        metrics.Observe<long>("quiver.server.queue.depth", "{request}", "Requests waiting for a slot",
            () => [new(limiter.GetStatistics()?.CurrentQueuedCount ?? 0)]);
        metrics.Observe<int>("quiver.embedding.pending", "{input}", "Inputs waiting for a model call",
            () => [new(batcher.Pending)]);
        metrics.Observe<long>("quiver.collection.points", "{point}", "Points in each open collection",
            () => collections.Opened.Select(c => new System.Diagnostics.Metrics.Measurement<long>(c.Count(), new KeyValuePair<string, object?>("collection", c.Name))).ToList());
        if (services.GetRequiredService<DistributedCollections>().Enabled)
        {
            services.GetRequiredService<ClusterGauges>().Register(metrics);
        }
    }
}
