namespace Quiver.Cluster.Grains;

/// <summary>
/// A silo's copy of the layouts of the distributed collections (key: "catalog@silo"), on that silo's disk, so a
/// collection's layout outlives the silo its collection grain ran on: any surviving silo can give it back.
/// </summary>
public interface ISiloCatalogGrain : IGrainWithStringKey
{
    Task Save(CollectionLayout layout);

    Task<CollectionLayout?> Load(string name);

    Task<string[]> Names();

    Task Remove(string name);
}
