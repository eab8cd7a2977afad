using System.Text;

namespace Quiver.Server.Tests;

/// <summary>
/// What a request with a huge ignored field allocates, counted over the whole process, so it runs alone
/// (<see cref="SerialTests"/>): no other test's allocations fall into its window.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class IgnoredFieldAllocationTests
{
    [Fact]
    public async Task An_ignored_huge_array_in_a_request_costs_little_more_than_its_bytes()
    {
        await using var server = new ServerFixture();
        var body = Encoding.UTF8.GetString(BodyMemoryTests.Body("""{"input": "the cat sat", "ignored": [""", "1", 2_000_000, "]}"));
        await server.Ok(server.Post("/v1/embeddings", """{"input": "the cat sat"}"""));

        // No other test runs meanwhile, so the process's allocations in the window are this request's (and the server's own).
        // On the code before bodies were scanned (c099520, a JsonNode tree of the whole body) this request allocated
        // 212 MiB and the test failed.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (status, answer) = await server.Post("/v1/embeddings", body);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(status == 200, answer?.ToJsonString());
        Assert.True(allocated < 40L << 20, $"the request allocated {allocated >> 20} MiB for a {body.Length >> 20} MiB body");
    }
}
