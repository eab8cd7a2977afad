using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Quiver.Core;

namespace Quiver.Server.Tests;

/// <summary>Where the server listens: https with a given certificate, and no key-less listening beyond loopback by accident.</summary>
public sealed class ListeningTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("quiver-listening-").FullName;

    private QuiverPaths Paths => new(Path.Combine(_root, "home"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Https_with_a_self_signed_certificate_serves_embeddings_over_TLS(bool pem)
    {
        using var certificate = new TestCertificate(_root);
        ServerFixture.InstallModels(_root, Paths);
        var options = new ServerOptions
        {
            Paths = Paths,
            Urls = "https://127.0.0.1:0",
            DefaultModel = "bert",
            TlsCertificatePath = pem ? certificate.CertificatePem : certificate.Pfx,
            TlsKeyPath = pem ? certificate.KeyPem : null,
        };
        await using var app = QuiverServer.Build(options);
        await app.StartAsync();
        var url = app.Urls.First();
        Assert.StartsWith("https://127.0.0.1:", url, StringComparison.Ordinal);

        using var client = certificate.TrustingClient(url);
        Assert.Equal("healthz check passed", await client.GetStringAsync("/healthz"));
        using var response = await client.PostAsJsonAsync("/v1/embeddings", new { input = "the whale swims" });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        Assert.NotEmpty(Assert.Single(body["data"]!.AsArray())!["embedding"]!.AsArray());

        // A client that does not trust the certificate is turned away by TLS itself, so TLS is what served the calls above.
        using var untrusting = new HttpClient { BaseAddress = new Uri(url) };
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetStringAsync("/healthz"));
        await app.StopAsync();
    }

    [Fact]
    public void Https_without_a_certificate_is_refused_before_listening_with_the_ways_to_give_one()
    {
        var error = Assert.Throws<QuiverException>(() => QuiverServer.Build(new ServerOptions { Paths = Paths, Urls = "https://127.0.0.1:0" }));
        Assert.Contains("https://127.0.0.1:0 needs a certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains("--tls-cert FILE", error.Message, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_Kestrel__Certificates__Default__Path", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_certificate_without_its_key_or_an_https_url_is_refused_naming_the_fix()
    {
        using var certificate = new TestCertificate(_root);
        var noKey = Assert.Throws<QuiverException>(() => QuiverServer.Build(
            new ServerOptions { Paths = Paths, Urls = "https://127.0.0.1:0", TlsCertificatePath = certificate.CertificatePem }));
        Assert.Contains("--tls-key", noKey.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<QuiverException>(() => QuiverServer.Build(
            new ServerOptions { Paths = Paths, Urls = "https://127.0.0.1:0", TlsCertificatePath = certificate.CertificatePem, TlsKeyPath = Path.Combine(_root, "nope.pem") }));
        Assert.Contains("--tls-key", missing.Message, StringComparison.Ordinal);
        Assert.Contains("no such file", missing.Message, StringComparison.Ordinal);

        var plain = Assert.Throws<QuiverException>(() => QuiverServer.Build(
            new ServerOptions { Paths = Paths, Urls = "http://127.0.0.1:0", TlsCertificatePath = certificate.Pfx }));
        Assert.Contains("no URL is https://", plain.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:6333")]
    [InlineData("http://[::]:6333")]
    [InlineData("http://*:6333")]
    [InlineData("http://+:6333")]
    [InlineData("http://192.0.2.7:6333")]
    [InlineData("http://quiver.example:6333")]
    [InlineData("http://127.0.0.1:6333;http://0.0.0.0:6334")]
    public void Listening_beyond_loopback_with_no_key_is_refused_naming_the_fix(string urls)
    {
        var error = Assert.Throws<QuiverException>(() => QuiverServer.Build(new ServerOptions { Paths = Paths, Urls = urls }));
        Assert.StartsWith("refusing to listen on ", error.Message, StringComparison.Ordinal);
        Assert.Contains("--api-key KEY or QUIVER_API_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-anonymous", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:6333", true, false, false)]
    [InlineData("http://0.0.0.0:6333", false, true, true)]
    [InlineData("http://*:6333", false, true, true)]
    [InlineData("http://localhost:6333", false, false, false)]
    [InlineData("http://127.0.0.2:6333", false, false, false)]
    [InlineData("http://[::1]:6333", false, false, false)]
    public async Task Loopback_a_key_or_allow_anonymous_lets_the_server_build(string urls, bool adminKey, bool allowAnonymous, bool openToNetwork)
    {
        var options = new ServerOptions { Paths = Paths, Urls = urls, AdminKeys = adminKey ? ["secret"] : [], AllowAnonymous = allowAnonymous };
        await using var app = QuiverServer.Build(options);
        Assert.Equal(openToNetwork, options.IsOpenToNetwork);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Leftover scratch files never fail a test.
        }
    }
}
