namespace Quiver.Store.Aliases;

/// <summary>What an <see cref="AliasAction"/> does (Qdrant's create_alias, delete_alias, rename_alias).</summary>
public enum AliasActionKind
{
    Create,
    Delete,
    Rename,
}
