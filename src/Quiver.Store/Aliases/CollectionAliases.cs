using Quiver.Core;
using Quiver.Store.Collections;
using Quiver.Store.Storage;

namespace Quiver.Store.Aliases;

/// <summary>
/// A store's aliases, as in Qdrant: other names for collections, usable wherever a collection name is (so a client
/// can be switched to a rebuilt collection in one atomic change). Stored durably beside the collections; a change is
/// a list of actions applied all or nothing. Deleting a collection drops its aliases; an alias never takes the name of
/// a collection, nor a collection the name of an alias.
/// </summary>
public sealed class CollectionAliases
{
    private readonly CollectionStore _store;
    private readonly Lock _cacheGate = new();
    private Dictionary<string, string> _cached = new(StringComparer.Ordinal);
    private (long, long) _cachedStamp = (-1, -1);

    internal CollectionAliases(CollectionStore store)
    {
        _store = store;
    }

    /// <summary>Every alias, by alias name.</summary>
    public IReadOnlyList<CollectionAlias> List() =>
        [.. Current().OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new CollectionAlias(a.Key, a.Value))];

    /// <summary>The aliases of one collection, by alias name.</summary>
    public IReadOnlyList<CollectionAlias> Of(string collection) => [.. List().Where(a => a.CollectionName == collection)];

    /// <summary>The collection <paramref name="alias"/> points at, or null when it is no alias.</summary>
    public string? Target(string alias) => Current().GetValueOrDefault(alias);

    public void Create(string alias, string collection) => Apply([AliasAction.Create(alias, collection)]);

    /// <summary>Deletes an alias; returns whether it existed.</summary>
    public bool Delete(string alias)
    {
        var existed = Target(alias) is not null;
        Apply([AliasAction.Delete(alias)]);
        return existed;
    }

    public void Rename(string oldAlias, string newAlias) => Apply([AliasAction.Rename(oldAlias, newAlias)]);

    /// <summary>
    /// Applies the actions in order, all or nothing: when one fails (a missing collection or alias, a name taken by a
    /// collection, an invalid name) it throws and no alias changes.
    /// </summary>
    /// <exception cref="CollectionNotFoundException">An alias would point at a collection that does not exist.</exception>
    /// <exception cref="AliasNotFoundException">A renamed alias does not exist.</exception>
    public void Apply(IReadOnlyList<AliasAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        using var held = AliasFile.Lock(_store.Root);
        var (aliases, _) = AliasFile.Read(_store.Root);
        var working = new Dictionary<string, string>(aliases, StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i] ?? throw new QuiverException($"Alias action {i} is empty. Give create, delete or rename.");
            switch (action.Kind)
            {
                case AliasActionKind.Create:
                    var collection = action.CollectionName ?? throw new QuiverException($"Alias action {i} (create {action.AliasName}) names no collection.");
                    ResourceName.Validate(collection, "collection");
                    ValidateNewAlias(action.AliasName);
                    if (!_store.Exists(collection))
                    {
                        throw new CollectionNotFoundException(collection, _store.Root, _store.List());
                    }

                    working[action.AliasName] = collection;
                    break;
                case AliasActionKind.Delete:
                    ResourceName.Validate(action.AliasName, "alias");
                    working.Remove(action.AliasName);
                    break;
                case AliasActionKind.Rename:
                    ResourceName.Validate(action.AliasName, "alias");
                    var newName = action.NewAliasName ?? throw new QuiverException($"Alias action {i} (rename {action.AliasName}) gives no new name.");
                    ValidateNewAlias(newName);
                    if (!working.Remove(action.AliasName, out var target))
                    {
                        throw new AliasNotFoundException(action.AliasName, [.. working.Keys.Order(StringComparer.Ordinal)]);
                    }

                    working[newName] = target;
                    break;
                default:
                    throw new QuiverException($"Alias action {i} has no known kind ({action.Kind}). Give create, delete or rename.");
            }
        }

        AliasFile.Write(_store.Root, working);
    }

    /// <summary>Removes every alias of a collection (it is being deleted); the caller holds the alias lock.</summary>
    internal void DropAliasesOf(string collection)
    {
        var (aliases, _) = AliasFile.Read(_store.Root);
        if (aliases.Values.Contains(collection, StringComparer.Ordinal))
        {
            AliasFile.Write(_store.Root, aliases.Where(a => a.Value != collection).ToDictionary(StringComparer.Ordinal));
        }
    }

    private void ValidateNewAlias(string alias)
    {
        ResourceName.Validate(alias, "alias");
        if (_store.Exists(alias))
        {
            throw new QuiverException(
                $"Collection `{alias}` already exists! An alias cannot take the name of a collection; choose another alias name.");
        }
    }

    // Read once per change of the file (a stat per look-up), so resolving a name on every request costs no parse.
    private Dictionary<string, string> Current()
    {
        var path = Path.Combine(_store.Root, AliasFile.FileName);
        var info = new FileInfo(path);
        var stamp = info.Exists ? (info.LastWriteTimeUtc.Ticks, info.Length) : (0L, -1L);
        lock (_cacheGate)
        {
            if (stamp == _cachedStamp)
            {
                return _cached;
            }
        }

        var (aliases, readStamp) = AliasFile.Read(_store.Root);
        lock (_cacheGate)
        {
            _cached = aliases;
            _cachedStamp = readStamp;
            return aliases;
        }
    }
}
