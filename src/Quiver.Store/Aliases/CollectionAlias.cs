namespace Quiver.Store.Aliases;

/// <summary>Another name for a collection: wherever a collection name is accepted, <see cref="AliasName"/> means <see cref="CollectionName"/>.</summary>
public sealed record CollectionAlias(string AliasName, string CollectionName);
