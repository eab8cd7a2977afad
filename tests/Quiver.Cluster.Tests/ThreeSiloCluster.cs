using Orleans.Configuration;
using Orleans.TestingHost;

namespace Quiver.Cluster.Tests;

/// <summary>Three in-process silos holding Quiver replicas under one scratch folder (a folder per silo name), shared by a test class.</summary>
public sealed class ThreeSiloCluster : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "quiver-cluster-tests", Guid.NewGuid().ToString("N"));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = false;
        // A killed silo's calls fail fast instead of waiting out Orleans's default 30 s.
        builder.ConfigureSilo((_, silo) => silo.AddQuiverCluster(Root).Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5)));
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5)));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

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
