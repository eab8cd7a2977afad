using Microsoft.Extensions.DependencyInjection;
using Quiver.Cluster;
using Quiver.Core;

namespace Quiver.Server.Cluster;

/// <summary>
/// The distributed collections this server reaches through the silo in its own host (cluster mode), or none at all
/// (the single-process default). A name is looked up in the cluster (its collection grain) on every request, since
/// any server of the cluster may create or delete it: a copy kept here would outlive a delete made through another
/// server, and point a create of the same name afterwards at replicas that are gone.
/// </summary>
internal sealed class DistributedCollections(ServerOptions options, IServiceProvider services)
{
    /// <summary>Whether this server hosts a silo (quiver serve --cluster).</summary>
    public bool Enabled => options.Cluster is not null;

    private IGrainFactory Grains => services.GetRequiredService<IGrainFactory>();

    /// <summary>The distributed collection called <paramref name="name"/>, or null when there is none (or no cluster).</summary>
    public Task<DistributedCollection?> Find(string name) =>
        Enabled && IsValidName(name) ? DistributedCollection.TryOpenAsync(Grains, name) : Task.FromResult<DistributedCollection?>(null);

    public Task<DistributedCollection> Create(string name, DistributedCollectionOptions collection) =>
        DistributedCollection.CreateAsync(Grains, name, collection);

    /// <summary>The names of the cluster's distributed collections (none without a cluster).</summary>
    public async Task<IReadOnlyList<string>> Names() => Enabled ? await DistributedCollection.ListAsync(Grains) : [];

    // Local collection names are checked by the store; a name the store refuses cannot be a grain key either.
    private static bool IsValidName(string name)
    {
        try
        {
            ResourceName.Validate(name, "collection");
            return true;
        }
        catch (QuiverException)
        {
            return false;
        }
    }
}
