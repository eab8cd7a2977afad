using Quiver.Core;

namespace Quiver.Server.Operations;

/// <summary>What the store's faults may tell a caller who has shown no key: the error, with the store's folders named by role instead of by path.</summary>
internal static class StoreFaults
{
    public static string WithoutPaths(string message, QuiverPaths paths)
    {
        var home = Path.GetFullPath(paths.Home);
        return message
            .Replace(Path.GetFullPath(paths.Collections), $"${QuiverPaths.HomeVariable}/collections", StringComparison.Ordinal)
            .Replace(home, $"${QuiverPaths.HomeVariable}", StringComparison.Ordinal);
    }
}
