using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Quiver.Cluster.Placement;
using Quiver.Core;

namespace Quiver.Cluster;

/// <summary>Makes a silo hold Quiver shard replicas.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Keeps this silo's shard replicas under <paramref name="dataRoot"/>/&lt;silo name&gt; and places replicas on the silos their keys name.</summary>
    public static ISiloBuilder AddQuiverCluster(this ISiloBuilder builder, string dataRoot) =>
        builder.AddQuiverCluster(new QuiverClusterOptions { DataRoot = dataRoot });

    /// <summary>As <see cref="AddQuiverCluster(ISiloBuilder, string)"/>, with the grace period for dead silos and the log margin too.</summary>
    public static ISiloBuilder AddQuiverCluster(this ISiloBuilder builder, QuiverClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (options.DeadSiloGrace < TimeSpan.Zero || options.LogMargin < 0)
        {
            throw new QuiverException(
                $"DeadSiloGrace ({options.DeadSiloGrace}) and LogMargin ({options.LogMargin}) must not be negative; give a duration and a number of operations of 0 or more.");
        }

        builder.Services.AddSingleton(new QuiverClusterOptions { DataRoot = Path.GetFullPath(options.DataRoot), DeadSiloGrace = options.DeadSiloGrace, LogMargin = options.LogMargin });
        builder.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        builder.AddIncomingGrainCallFilter<QuiverErrorFilter>();
        return builder;
    }
}
