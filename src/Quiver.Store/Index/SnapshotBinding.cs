using System.Globalization;

namespace Quiver.Store.Index;

/// <summary>
/// What ties an index snapshot to the database it was built from: the collection's random id and creation time, and
/// the database's format version, all recorded in the database at creation and written into every snapshot's header.
/// A snapshot whose binding differs (copied from another collection, or left by a deleted one) is not used.
/// </summary>
internal readonly record struct SnapshotBinding(Guid CollectionId, DateTimeOffset CreatedAt, int FormatVersion)
{
    public override string ToString() =>
        $"collection id {CollectionId:N}, created {CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}, format {FormatVersion}";
}
