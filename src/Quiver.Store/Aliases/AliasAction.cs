namespace Quiver.Store.Aliases;

/// <summary>
/// One change to the aliases; a list of them is applied all or nothing by <see cref="CollectionAliases.Apply"/>.
/// </summary>
/// <param name="AliasName">The alias created or deleted, or the old name of a renamed one.</param>
/// <param name="CollectionName">The collection a created alias points at.</param>
/// <param name="NewAliasName">The new name of a renamed alias.</param>
public sealed record AliasAction(AliasActionKind Kind, string AliasName, string? CollectionName = null, string? NewAliasName = null)
{
    /// <summary>Points <paramref name="alias"/> at <paramref name="collection"/> (an existing alias of that name is moved, as in Qdrant).</summary>
    public static AliasAction Create(string alias, string collection) => new(AliasActionKind.Create, alias, collection);

    /// <summary>Removes an alias; one that does not exist is no error (as in Qdrant).</summary>
    public static AliasAction Delete(string alias) => new(AliasActionKind.Delete, alias);

    /// <summary>Gives an alias a new name, pointing at the same collection.</summary>
    public static AliasAction Rename(string oldAlias, string newAlias) => new(AliasActionKind.Rename, oldAlias, NewAliasName: newAlias);
}
