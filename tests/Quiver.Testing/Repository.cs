namespace Quiver.Testing;

/// <summary>The checkout the tests run from: what they read beside the code (the README, bench/peers' drivers).</summary>
public static class Repository
{
    /// <summary>The folder above the test's output that holds Quiver.slnx.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Quiver.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above {AppContext.BaseDirectory} holds Quiver.slnx: these tests read files of the repository (the README, bench/peers), so run them from a checkout.");
    }
}
