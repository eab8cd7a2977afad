namespace Quiver.Core.Tests;

// QUIVER_HOME is process-wide: every test that touches it lives in this class, whose tests xunit runs one at a time.
public sealed class QuiverPathsTests : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable(QuiverPaths.HomeVariable);

    public void Dispose() => Environment.SetEnvironmentVariable(QuiverPaths.HomeVariable, _saved);

    [Fact]
    public void Quiver_home_is_taken_from_the_environment()
    {
        var home = Path.Combine(Path.GetTempPath(), "quiver-home-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable(QuiverPaths.HomeVariable, home);

        var paths = QuiverPaths.FromEnvironment();

        Assert.Equal(Path.GetFullPath(home), paths.Home);
        Assert.Equal(Path.Combine(paths.Home, "models"), paths.Models);
        Assert.Equal(Path.Combine(paths.Home, "collections"), paths.Collections);
    }

    [Fact]
    public void Relative_quiver_home_is_made_absolute()
    {
        Environment.SetEnvironmentVariable(QuiverPaths.HomeVariable, "relative-home");

        var paths = QuiverPaths.FromEnvironment();

        Assert.True(Path.IsPathFullyQualified(paths.Home));
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "relative-home"), paths.Home);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Unset_or_blank_quiver_home_falls_back_to_dot_quiver_in_the_user_profile(string? value)
    {
        Environment.SetEnvironmentVariable(QuiverPaths.HomeVariable, value);

        var paths = QuiverPaths.FromEnvironment();

        var expected = Path.GetFullPath(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".quiver"));
        Assert.Equal(expected, paths.Home);
        Assert.Equal(Path.Combine(expected, "models"), paths.Models);
    }
}
