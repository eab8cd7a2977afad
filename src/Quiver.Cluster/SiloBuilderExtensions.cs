using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Quiver.Cluster.Placement;

namespace Quiver.Cluster;

/// <summary>Makes a silo hold Quiver shard replicas.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Keeps this silo's shard replicas under <paramref name="dataRoot"/>/&lt;silo name&gt; and places replicas on the silos their keys name.</summary>
    public static ISiloBuilder AddQuiverCluster(this ISiloBuilder builder, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new QuiverClusterOptions { DataRoot = Path.GetFullPath(dataRoot) });
        builder.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        builder.AddIncomingGrainCallFilter<QuiverErrorFilter>();
        return builder;
    }
}
