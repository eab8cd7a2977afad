using Quiver.Testing;

namespace Quiver.Models.Tests;

public sealed class TestCacheTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_QUIVER_TEST_CACHE_the_cache_is_quiver_test_cache_in_the_temp_folder(string? configured) =>
        Assert.Equal(Path.Combine(Path.GetTempPath(), "quiver-test-cache"), TestCache.Resolve(configured));

    [Fact]
    public void QUIVER_TEST_CACHE_names_the_cache_and_a_relative_path_is_made_absolute()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "elsewhere");
        Assert.Equal(absolute, TestCache.Resolve(absolute));
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "cache"), TestCache.Resolve("cache"));
    }
}
