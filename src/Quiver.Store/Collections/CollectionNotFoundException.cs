using Quiver.Core;

namespace Quiver.Store.Collections;

/// <summary>A collection asked for by name that does not exist.</summary>
public sealed class CollectionNotFoundException : QuiverException
{
    public CollectionNotFoundException(string name, string root, IReadOnlyList<string> existing)
        : base(
            $"There is no collection named '{name}' in {root}. " +
            (existing.Count > 0 ? $"Existing collections: {string.Join(", ", existing)}. " : "There are no collections yet. ") +
            "Create one with quiver index <folder> --collection <name>.")
    {
        Name = name;
    }

    public string Name { get; }
}
