namespace Quiver.Core;

/// <summary>
/// Where Quiver keeps installed models and collections: QUIVER_HOME when set, else ~/.quiver.
/// </summary>
public sealed record QuiverPaths(string Home)
{
    public const string HomeVariable = "QUIVER_HOME";

    public string Models => Path.Combine(Home, "models");

    public string Collections => Path.Combine(Home, "collections");

    /// <summary>Collection snapshots, one folder per collection (they outlive the collection, as backups should).</summary>
    public string Snapshots => Path.Combine(Home, "snapshots");
    /// <summary>Trained classifiers, one folder each (<c>quiver classify train</c>).</summary>
    public string Classifiers => Path.Combine(Home, "classifiers");

    public static QuiverPaths FromEnvironment()
    {
        var home = Environment.GetEnvironmentVariable(HomeVariable);
        if (string.IsNullOrWhiteSpace(home))
        {
            home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".quiver");
        }

        return new QuiverPaths(Path.GetFullPath(home));
    }
}
