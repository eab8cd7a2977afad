using Quiver.Core;

namespace Quiver.Store.Aliases;

/// <summary>An alias asked for by name (to rename it) that does not exist.</summary>
public sealed class AliasNotFoundException(string alias, IReadOnlyList<string> existing)
    : QuiverException(
        $"Alias {alias} does not exist. " +
        (existing.Count > 0 ? $"Existing aliases: {string.Join(", ", existing)}." : "There are no aliases yet; create one with quiver collections alias create ALIAS COLLECTION."))
{
    public string Alias { get; } = alias;
}
