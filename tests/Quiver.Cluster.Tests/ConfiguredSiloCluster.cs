using Orleans.Configuration;
using Orleans.TestingHost;

namespace Quiver.Cluster.Tests;

/// <summary>
/// Three in-process silos as <see cref="ThreeSiloCluster"/> starts them, with a chosen grace period for dead silos and
/// log margin, for the tests of replacing, rebalancing and trimming (a test may start or kill silos: one per class).
/// </summary>
public abstract class ConfiguredSiloCluster(TimeSpan deadSiloGrace, long logMargin) : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "quiver-cluster-tests", Guid.NewGuid().ToString("N"));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo
            .AddQuiverCluster(new QuiverClusterOptions { DataRoot = Root, DeadSiloGrace = deadSiloGrace, LogMargin = logMargin })
            .Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5)));
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5)));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>The folders of the shard replicas on the silos' disks (every folder but the layouts').</summary>
    public IReadOnlyList<string> ReplicaFolders() =>
        Directory.GetDirectories(Root).SelectMany(Directory.GetDirectories).Where(d => Path.GetFileName(d) != "layouts").ToList();

    /// <summary>The operation log file of a replica, by its grain key.</summary>
    public string LogOf(string replicaKey) =>
        Path.Combine(Root, replicaKey[(replicaKey.IndexOf('@', StringComparison.Ordinal) + 1)..], replicaKey.Replace('@', '_').Replace('/', '_'), "operations.log");

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder is harmless.
        }
    }
}

/// <summary>Silos whose replicas are rebuilt elsewhere two seconds after their silo leaves; logs trimmed past 10 operations.</summary>
public sealed class ShortGraceCluster() : ConfiguredSiloCluster(TimeSpan.FromSeconds(2), logMargin: 10);

/// <summary>Silos that wait an hour for a dead silo (so a killed one returns to its replicas); logs trimmed past 10 operations.</summary>
public sealed class LongGraceCluster() : ConfiguredSiloCluster(TimeSpan.FromHours(1), logMargin: 10);
