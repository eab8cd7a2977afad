using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Aliases;
using Quiver.Store.Collections;

namespace Quiver.Store.Tests;

/// <summary>Aliases as in Qdrant: usable wherever a collection name is, changed all or nothing, durable, dropped with their collection.</summary>
public sealed class AliasTests : IDisposable
{
    private static readonly EmbeddingSpace Small = EmbeddingSpace.Raw(3, DistanceMetric.Cosine);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CollectionStore Store() => new(_folder.Path);

    private void Make(string name, int points)
    {
        using var collection = Store().Create(name, new CollectionOptions(Small));
        collection.Upsert([.. Enumerable.Range(0, points).Select(i => new Point($"{name}-{i}", [1, i + 1, 0]))]);
    }

    [Fact]
    public void An_alias_opens_its_collection_and_a_switch_moves_every_new_open()
    {
        Make("v1", 2);
        Make("v2", 5);
        Store().Aliases.Create("prod", "v1");
        using (var prod = Store().Open("prod"))
        {
            Assert.Equal("v1", prod.Name);
            Assert.Equal(2, prod.Count());
        }

        // Delete and create in one change: no moment without the alias.
        Store().Aliases.Apply([AliasAction.Delete("prod"), AliasAction.Create("prod", "v2")]);
        using var switched = Store().Open("prod");
        Assert.Equal("v2", switched.Name);
        Assert.Equal(5, switched.Count());
        Assert.Equal([new CollectionAlias("prod", "v2")], Store().Aliases.List());
        Assert.Empty(Store().Aliases.Of("v1"));
        Assert.Equal("v2", Store().Resolve("prod"));
        Assert.Equal("v1", Store().Resolve("v1"));
    }

    [Fact]
    public void A_failing_action_leaves_every_alias_as_it_was()
    {
        Make("v1", 1);
        Store().Aliases.Create("keep", "v1");
        var before = File.ReadAllBytes(Path.Combine(_folder.Path, "aliases.json"));

        var missing = Assert.Throws<CollectionNotFoundException>(() =>
            Store().Aliases.Apply([AliasAction.Create("first", "v1"), AliasAction.Delete("keep"), AliasAction.Create("second", "nope")]));
        Assert.Contains("nope", missing.Message, StringComparison.Ordinal);
        Assert.Throws<AliasNotFoundException>(() => Store().Aliases.Apply([AliasAction.Delete("keep"), AliasAction.Rename("ghost", "other")]));
        Assert.Throws<QuiverException>(() => Store().Aliases.Apply([AliasAction.Delete("keep"), AliasAction.Create("../x", "v1")]));

        Assert.Equal([new CollectionAlias("keep", "v1")], Store().Aliases.List());
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(_folder.Path, "aliases.json")));
    }

    [Fact]
    public void Aliases_and_collections_never_share_a_name()
    {
        Make("v1", 1);
        Make("v2", 1);
        var taken = Assert.Throws<QuiverException>(() => Store().Aliases.Create("v2", "v1"));
        Assert.Contains("Collection `v2` already exists!", taken.Message, StringComparison.Ordinal);

        Store().Aliases.Create("prod", "v1");
        Assert.Throws<QuiverException>(() => Store().Aliases.Rename("prod", "v2"));
        var clash = Assert.Throws<QuiverException>(() => Store().Create("prod", new CollectionOptions(Small)));
        Assert.Contains("Alias with the same name already exists", clash.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "prod")));
    }

    [Fact]
    public void Renames_survive_a_new_store_and_deleting_a_collection_drops_its_aliases()
    {
        Make("v1", 1);
        Make("v2", 1);
        Store().Aliases.Apply([AliasAction.Create("a", "v1"), AliasAction.Create("b", "v1"), AliasAction.Create("c", "v2")]);
        Store().Aliases.Rename("a", "renamed");
        Assert.Equal(["b", "renamed"], Store().Aliases.Of("v1").Select(a => a.AliasName));

        // Deleting by an alias's name deletes nothing (as in Qdrant).
        Assert.False(Store().Delete("b"));
        Assert.True(Store().Delete("v1"));
        Assert.Equal([new CollectionAlias("c", "v2")], Store().Aliases.List());
        Assert.Throws<CollectionNotFoundException>(() => Store().Open("b"));
        Assert.False(Store().Aliases.Delete("b"));
        Assert.True(Store().Aliases.Delete("c"));
        Assert.Empty(Store().Aliases.List());
    }

    [Fact]
    public void Open_or_create_through_an_alias_writes_into_its_collection()
    {
        Make("v1", 1);
        Store().Aliases.Create("prod", "v1");
        using (var prod = Store().OpenOrCreate("prod", new CollectionOptions(Small)))
        {
            prod.Upsert([new Point("new", [0, 0, 1])]);
        }

        Assert.Equal(["v1"], Store().List());
        using var v1 = Store().Open("v1");
        Assert.NotNull(v1.Get("new"));
    }

    [Fact]
    public void A_damaged_registry_is_named_with_the_fix()
    {
        Make("v1", 1);
        File.WriteAllText(Path.Combine(_folder.Path, "aliases.json"), "{\"aliases\": [1");
        var damaged = Assert.Throws<QuiverException>(() => Store().Open("prod"));
        Assert.Contains("aliases.json is damaged", damaged.Message, StringComparison.Ordinal);
        Assert.Contains("delete it", damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Changes_from_many_threads_each_land_whole()
    {
        Make("v1", 1);
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => new CollectionStore(_folder.Path).Aliases.Create($"a{i}", "v1"));
        Assert.Equal(40, Store().Aliases.List().Count);
    }
}
