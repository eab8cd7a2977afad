using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Quiver.Server.Http;

namespace Quiver.Bench;

/// <summary>
/// Memory per request for the largest legal bodies and a hostile one: bytes allocated by the server's body scan and
/// by parsing the fields its route reads (walked as the route walks them), as a multiple of the body's bytes, beside
/// the estimate the server reserves before parsing (which must not be below what is allocated). The buffer the body
/// is read into (1 × its bytes) comes on top.
/// Usage: Quiver.Bench parse-memory
/// </summary>
internal static class ParseMemory
{
    public static void Run(Args options)
    {
        _ = options;
        var random = new Random(7);
        Console.WriteLine("body | MB | read fields | scan × body | parsed × body | reserved estimate × body | estimate / parsed");
        Measure("upsert: 8,000 points × 384 numbers", Upsert(random, 8000, 384), "points");
        Measure("upsert: 10,000 points × 256 numbers", Upsert(random, 10_000, 256), "points");
        Measure("embeddings: 2,048 texts of 15,000 characters", Inputs(2048, i => $"\"{new string((char)('a' + (i % 26)), 15_000)}\""), "input");
        Measure("embeddings: 2,048 arrays of 2,800 token ids", Inputs(2048, _ => $"[{string.Join(',', Enumerable.Range(0, 2800).Select(_ => random.Next(30_000)))}]"), "input");
        Measure("hostile: 15 million 1s in input", Inputs(15_000_000, _ => "1"), "input");
        Measure("hostile: 15 million 1s in an ignored field", Encoding.UTF8.GetBytes("{\"input\": \"a\", \"ignored\": [" + string.Join(',', Enumerable.Repeat("1", 15_000_000)) + "]}"), "input");
    }

    private static void Measure(string name, byte[] body, string field)
    {
        GC.Collect();
        var start = GC.GetAllocatedBytesForCurrentThread();
        var json = JsonBodyScan.Scan(body, 32, owner: null);
        var scanned = GC.GetAllocatedBytesForCurrentThread();
        Walk(json[field]);
        var parsed = GC.GetAllocatedBytesForCurrentThread() - scanned;
        var estimate = json.Estimate(field);
        double per(long bytes) => bytes / (double)body.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} | {body.Length / 1e6:F1} | {field} | {per(scanned - start):F3} | {per(parsed):F2} | {per(estimate):F2} | {estimate / (double)parsed:F3}"));
    }

    // As a route reads a field: every item, every number as a double, every string as a string.
    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Walk(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
            case JsonValue value:
                _ = value.GetValue<double>();
                break;
        }
    }

    private static byte[] Upsert(Random random, int points, int dimensions)
    {
        var text = new StringBuilder("{\"points\": [");
        for (var p = 0; p < points; p++)
        {
            text.Append(p == 0 ? "" : ",").Append("{\"id\": ").Append(p).Append(", \"vector\": [");
            for (var d = 0; d < dimensions; d++)
            {
                text.Append(d == 0 ? "" : ",").Append((random.NextDouble() - 0.5).ToString("F6", CultureInfo.InvariantCulture));
            }

            text.Append("], \"payload\": {\"n\": ").Append(p).Append("}}");
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    private static byte[] Inputs(int count, Func<int, string> item)
    {
        var text = new StringBuilder("{\"input\": [");
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(item(i));
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }
}
