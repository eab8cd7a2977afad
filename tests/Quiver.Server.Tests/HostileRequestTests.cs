using System.Text.Json.Nodes;
using Quiver.Tests.Shared.Hostile;
using Xunit.Abstractions;

namespace Quiver.Server.Tests;

/// <summary>
/// The generated hostile-request suite (tests/Shared/Hostile), one request per (operation, mutation) on the in-process
/// server: no 5xx, no hang, a JSON error for every refusal, keys enforced, the protected collections unchanged.
/// bench/hostile.sh runs every variant against a `quiver serve` process.
/// </summary>
public sealed class HostileRequestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 18;
    private ServerFixture _server = null!;
    private HostileTarget _target = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFixture(o => o with
        {
            AdminKeys = ["hostile-admin"],
            ReadOnlyKeys = ["hostile-reader"],
            Limits = o.Limits with { MaxBodyBytes = 128 << 10 },
        });
        _target = new HostileTarget { Model = "bert", AdminKey = "hostile-admin", ReadOnlyKey = "hostile-reader", MaxBodyBytes = _server.Options.Limits.MaxBodyBytes };
        await StoredState.SetUp(_server.Client, _target, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonObject> Document() => (JsonObject)await _server.Ok(_server.Get("/openapi/v1.json", key: "hostile-admin"));

    [Fact]
    public async Task Every_operation_in_the_document_has_a_valid_request_that_succeeds()
    {
        var generator = new HostileGenerator(await Document(), _target, Seed);
        var run = new HostileRun(_server.Client, _target, TimeSpan.FromSeconds(30));
        var seeds = generator.Seeds();
        Assert.True(generator.Unseeded.Count == 0, "no valid request for: " + string.Join(", ", generator.Unseeded));
        await run.CheckSeeds(seeds, CancellationToken.None);
        Assert.True(run.Failures.Count == 0, string.Join('\n', run.Failures));
        Assert.True(seeds.Select(s => s.Operation).Distinct().Count() >= 28, $"{seeds.Count} valid requests");
    }

    [Fact]
    public async Task One_request_per_operation_and_mutation_gets_no_5xx_and_changes_nothing()
    {
        var before = await StoredState.Fingerprint(_server.Client, _target, CancellationToken.None);
        var requests = new HostileGenerator(await Document(), _target, Seed).Generate(full: false).ToList();
        Assert.True(requests.Count >= 500, $"only {requests.Count} requests");
        Assert.True(requests.Select(r => r.Route).Distinct().Count() >= 28, "some operations got no requests");

        var run = new HostileRun(_server.Client, _target, TimeSpan.FromSeconds(30));
        await run.Send(requests, parallel: 1, progress: null, CancellationToken.None);
        foreach (var line in run.Report())
        {
            output.WriteLine(line);
        }

        Assert.True(run.Failures.Count == 0, $"{run.Failures.Count} of {run.Sent}:\n" + string.Join('\n', run.Failures.Take(40)));
        Assert.Equal("healthz check passed", await _server.Client.GetStringAsync("/healthz"));
        Assert.Equal(before, await StoredState.Fingerprint(_server.Client, _target, CancellationToken.None));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_requests_and_another_seed_other_ones()
    {
        var document = await Document();
        string Describe(int seed) => string.Join('\n', new HostileGenerator(document, _target, seed).Generate(full: false).Select(r => r.Describe()));
        Assert.Equal(Describe(Seed), Describe(Seed));
        Assert.NotEqual(Describe(Seed), Describe(Seed + 1));
    }

    [Fact]
    public void A_field_mutation_changes_only_that_field()
    {
        var body = JsonNode.Parse("""{"a": {"b": [1, 2]}, "c": "x"}""")!;
        Assert.Equal(
            [["a"], ["a", "b"], ["a", "b", "0"], ["c"]],
            BodyMutations.Fields(body).Select(p => p.Select(s => s.ToString()!).ToArray()));
        Assert.Equal("""{"a":{"b":[1e999,2]},"c":"x"}""", System.Text.Encoding.UTF8.GetString(BodyMutations.Replace(body, ["a", "b", 0], "1e999"u8.ToArray())));
        Assert.Equal("""{"a":{"b":[1,2]}}""", System.Text.Encoding.UTF8.GetString(BodyMutations.Replace(body, ["c"], null)));
        Assert.Equal([0x7B, 0x22, 0x63, 0x22, 0x3A, 0xFF, 0x7D], BodyMutations.Replace(JsonNode.Parse("""{"c": 1}""")!, ["c"], [0xFF]));
    }
}
