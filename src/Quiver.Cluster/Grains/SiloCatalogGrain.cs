using System.Text.Json;
using Orleans.Runtime;
using Quiver.Cluster.Placement;

namespace Quiver.Cluster.Grains;

/// <inheritdoc cref="ISiloCatalogGrain"/>
[SiloPinnedPlacement]
internal sealed class SiloCatalogGrain(QuiverClusterOptions options, ILocalSiloDetails silo) : Grain, ISiloCatalogGrain
{
    private string Folder => Path.Combine(options.DataRoot, silo.Name, "layouts");

    public Task Save(CollectionLayout layout)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, layout.Name + ".json");

        // Written aside and moved over the old copy, so a crash leaves one whole layout or the other.
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(layout));
        File.Move(path + ".tmp", path, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<CollectionLayout?> Load(string name)
    {
        var path = Path.Combine(Folder, name + ".json");
        return Task.FromResult(File.Exists(path) ? JsonSerializer.Deserialize<CollectionLayout>(File.ReadAllText(path)) : null);
    }

    public Task<string[]> Names() => Task.FromResult(
        Directory.Exists(Folder) ? Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToArray() : []);

    public Task Remove(string name)
    {
        File.Delete(Path.Combine(Folder, name + ".json"));
        return Task.CompletedTask;
    }
}
