using System.Text;

namespace Quiver.Cluster;

/// <summary>The order points scroll in: shorter ids first (by characters, as SQLite's length() counts), then by text.</summary>
internal sealed class IdOrder : IComparer<string>
{
    public static IdOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var byLength = Length(x).CompareTo(Length(y));
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    private static int Length(string? id) => id is null ? -1 : id.EnumerateRunes().Count();
}
