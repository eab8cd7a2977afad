using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Quiver.Core;

namespace Quiver.Cluster;

/// <summary>Hosts a Quiver silo, or a client of one, in a .NET host, with Redis as the membership store.</summary>
public static class ClusterHosting
{
    /// <summary>Adds an Orleans silo holding Quiver shard replicas to <paramref name="builder"/>.</summary>
    public static IHostBuilder UseQuiverSilo(this IHostBuilder builder, ClusterHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.SiloName) || options.SiloName.Contains('@', StringComparison.Ordinal) || options.SiloName.Contains('/', StringComparison.Ordinal))
        {
            throw new QuiverException($"The silo name '{options.SiloName}' must be non-empty and hold no '@' or '/': replicas are keyed by it (for example silo-1).");
        }

        return builder.UseOrleans(silo =>
        {
            if (options.Redis is null)
            {
                var primary = new IPEndPoint(IPAddress.Parse(options.Address), options.PrimarySiloPort ?? options.SiloPort);
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, primary, options.ClusterId, options.ClusterId);
            }
            else
            {
                silo.UseRedisClustering(options.Redis)
                    .Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = options.ClusterId;
                        o.ServiceId = options.ClusterId;
                    })
                    .ConfigureEndpoints(IPAddress.Parse(options.Address), options.SiloPort, options.GatewayPort);
            }

            silo.Configure<SiloOptions>(o => o.SiloName = options.SiloName).AddQuiverCluster(options.DataRoot);
        });
    }

    /// <summary>Adds an Orleans client that finds the cluster's gateways through the same Redis server.</summary>
    public static IHostBuilder UseQuiverClusterClient(this IHostBuilder builder, string redis, string clusterId = "quiver")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseOrleansClient(client => client
            .UseRedisClustering(redis)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            }));
    }
}
