using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Quiver.Cluster;
using Quiver.Cluster.Grains;
using Quiver.Core;

namespace Quiver.Server.Cluster;

/// <summary>
/// The distributed collections this server reaches through the silo in its own host (cluster mode), or none at all
/// (the single-process default). A name is looked up in the cluster on every request until it is found, since any
/// server of the cluster may create it; found ones are kept.
/// </summary>
internal sealed class DistributedCollections(ServerOptions options, IServiceProvider services)
{
    private readonly ConcurrentDictionary<string, DistributedCollection> _known = new(StringComparer.Ordinal);

    /// <summary>Whether this server hosts a silo (quiver serve --cluster).</summary>
    public bool Enabled => options.Cluster is not null;

    private IGrainFactory Grains => services.GetRequiredService<IGrainFactory>();

    /// <summary>The distributed collection called <paramref name="name"/>, or null when there is none (or no cluster).</summary>
    public async Task<DistributedCollection?> Find(string name)
    {
        if (!Enabled || !IsValidName(name))
        {
            return null;
        }

        if (_known.TryGetValue(name, out var known))
        {
            return known;
        }

        if (await Grains.GetGrain<ICollectionGrain>(name).Layout() is null)
        {
            return null;
        }

        var opened = await DistributedCollection.OpenAsync(Grains, name);
        return _known.GetOrAdd(name, opened);
    }

    /// <summary>The names of the cluster's distributed collections, from this silo's copy of their layouts.</summary>
    public async Task<IReadOnlyList<string>> Names() =>
        Enabled ? await Grains.GetGrain<ISiloCatalogGrain>("catalog@" + options.Cluster!.SiloName).Names() : [];

    public async Task<DistributedCollection> Create(string name, DistributedCollectionOptions collection)
    {
        var created = await DistributedCollection.CreateAsync(Grains, name, collection);
        return _known.GetOrAdd(name, created);
    }

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
