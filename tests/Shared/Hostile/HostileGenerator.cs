using System.Text;
using System.Text.Json.Nodes;

namespace Quiver.Tests.Shared.Hostile;

/// <summary>
/// Hostile requests for every operation in a server's OpenAPI document, each made by one mutation of a valid request
/// (<see cref="ValidRequests"/>): of a body field, of the whole body, of a path parameter, of the query string, of the
/// headers or of the method. Seeded: the same seed gives the same requests.
/// </summary>
internal sealed class HostileGenerator(JsonObject document, HostileTarget target, int seed)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private static readonly Dictionary<string, string[]> PathValues = new()
    {
        ["name"] = ["hostile-no-such-collection", "..", "%2e%2e", "a%2Fb", "%00", "%FF", new string('n', 300), "sp%20ace", "%F0%9F%90%8B", "CON", ".hidden", "a%5C..%5Cb", "%u0041"],
        ["id"] = ["-1", "+1", "01", "1.5", "18446744073709551616", "18446744073709551615", "1e3", "not-a-uuid", "5c56c793-69f3-4fbf-87e6-c4bf54c28c2", "%00", "%2e%2e", "0x10", new string('9', 1000), "%F0%9F%90%8B"],
        ["model"] = ["nope", "..%2F..%2Fetc%2Fpasswd", "%00", new string('m', 300), "%2e%2e", "bert%2F..%2Fwords"],
    };

    private static readonly string[] Queries =
    [
        "?wait=maybe", "?wait=", "?wait=true&wait=false", "?%ZZ=1", "?ordering=strong&timeout=-1", "?q=" + new string('a', 3000), "?timeout=1e999",
        "?a[b]=c&__proto__=x", "?wait=%00", "?&&&==", "?limit=-1&offset=1e999",
    ];

    /// <summary>The operations the document has and <see cref="ValidRequests"/> has no valid request for.</summary>
    public List<string> Unseeded { get; } = [];

    /// <summary>Every operation's valid requests (what the run checks first, so a mutation starts from a real success).</summary>
    public List<ValidRequest> Seeds()
    {
        var seeds = new List<ValidRequest>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var method in Methods.Where(m => item![m] is JsonObject))
            {
                var operation = item![method]!["operationId"]?.GetValue<string>() ?? $"{method} {template}";
                var found = ValidRequests.For(target, operation, new HttpMethod(method.ToUpperInvariant()), template);
                if (found.Count == 0)
                {
                    Unseeded.Add(operation);
                    found = [new ValidRequest(operation, new HttpMethod(method.ToUpperInvariant()), template, Placeholders(template), null, Writes: method != "get")];
                }

                seeds.AddRange(found);
            }
        }

        return seeds;
    }

    /// <summary>
    /// The requests. <paramref name="full"/>: every variant of every mutation at every field of every valid request;
    /// otherwise one request per (operation, mutation), the field and variant drawn from the seed.
    /// </summary>
    public IEnumerable<HostileRequest> Generate(bool full)
    {
        var random = new Random(seed);
        foreach (var group in Seeds().GroupBy(s => s.Operation))
        {
            var seeds = full ? group.ToList() : [group.First()];
            foreach (var valid in seeds)
            {
                foreach (var request in ForSeed(valid, full, random))
                {
                    yield return request with { Route = $"{valid.Operation} {valid.Method} {valid.Template}", Writes = valid.Writes };
                }
            }
        }
    }

    private IEnumerable<HostileRequest> ForSeed(ValidRequest valid, bool full, Random random)
    {
        var body = valid.Body is null ? valid.RawBody : Encoding.UTF8.GetBytes(valid.Body.ToJsonString());
        var bodyType = valid.Body is null && valid.RawBody is not null ? valid.RawContentType : "application/json";
        var room = target.GiantBytes - (body?.Length ?? 0);
        HostileRequest Make(string mutation, byte[]? newBody, string? contentType = null, string? path = null, HttpMethod? method = null, List<KeyValuePair<string, string>>? headers = null) =>
            new(valid.Operation, mutation, method ?? valid.Method, path ?? valid.Path, newBody, contentType ?? (newBody is null ? null : bodyType), headers ?? [new("api-key", target.AdminKey)]);

        if (valid.Body is not null)
        {
            var fields = BodyMutations.Fields(valid.Body);
            foreach (var (name, value) in BodyMutations.Field)
            {
                // Giant values at every field of every request would make a full run long without being harsher.
                var giant = name.StartsWith("giant", StringComparison.Ordinal) || name == "deep-nesting";
                var at = full ? (giant ? fields.OrderBy(_ => random.Next()).Take(3).ToList() : fields) : fields.Count > 0 ? [fields[random.Next(fields.Count)]] : [];
                foreach (var field in at)
                {
                    var old = BodyMutations.ValueAt(valid.Body, field);
                    yield return Make($"{name} at {string.Join('.', field)}", BodyMutations.Replace(valid.Body, field, value(old, room, random)));
                }
            }

            foreach (var (name, mutate) in BodyMutations.Whole)
            {
                var (newBody, contentType) = mutate(body!, room, random);
                yield return Make(name, newBody, contentType is "" ? null : contentType ?? "application/json");
            }
        }
        else if (valid.RawBody is { } raw)
        {
            // A file upload: the file cut short, damaged in its middle, sent as JSON, or replaced by JSON.
            var flipped = raw.ToArray();
            flipped[flipped.Length / 2] ^= 0x55;
            yield return Make("raw-body-truncated", raw[..(raw.Length / 2)], valid.RawContentType);
            yield return Make("raw-body-flipped-byte", flipped, valid.RawContentType);
            yield return Make("raw-body-as-json", raw, "application/json");
            yield return Make("raw-body-replaced-by-json", Encoding.UTF8.GetBytes("{\"snapshot\": [1, 2]}"), valid.RawContentType);
        }
        else
        {
            yield return Make("body-on-bodiless-route", Encoding.UTF8.GetBytes("{\"hostile\": [1, 2, {\"deep\": \"\\ud800\"}]}"));
        }

        foreach (var parameter in valid.Parameters.Keys)
        {
            var values = PathValues.GetValueOrDefault(parameter, PathValues["name"]);
            foreach (var value in full ? values : [values[random.Next(values.Length)]])
            {
                var parameters = new Dictionary<string, string>(valid.Parameters) { [parameter] = value };
                yield return Make($"bad-path-{parameter}", body, path: valid.PathWith(parameters));
            }
        }

        foreach (var query in full ? Queries : [Queries[random.Next(Queries.Length)]])
        {
            yield return Make("bad-query", body, path: valid.PathWith(valid.Parameters, query));
        }

        var headerSets = HeaderSets(valid.Writes);
        foreach (var (name, headers) in full ? headerSets : [headerSets[random.Next(headerSets.Count)]])
        {
            yield return Make($"headers-{name}", body, headers: headers);
        }

        yield return Make("wrong-method", body, method: HttpMethod.Patch);
    }

    private List<(string Name, List<KeyValuePair<string, string>> Headers)> HeaderSets(bool writes)
    {
        List<(string, List<KeyValuePair<string, string>>)> sets =
        [
            ("no-key", []),
            ("wrong-key", [new("api-key", "not-the-key")]),
            ("empty-api-key-and-bearer", [new("api-key", string.Empty), new("Authorization", "Bearer " + target.AdminKey)]),
            ("empty-bearer", [new("Authorization", "Bearer ")]),
            ("basic-auth", [new("Authorization", "Basic YWRtaW46YWRtaW4=")]),
            ("lowercase-bearer", [new("Authorization", "bearer " + target.AdminKey)]),
            ("two-keys", [new("api-key", "not-the-key"), new("api-key", target.AdminKey)]),
            ("long-key", [new("api-key", new string('k', 6000))]),
            ("key-with-spaces", [new("api-key", " " + target.AdminKey + " ")]),
            ("odd-accept", [new("api-key", target.AdminKey), new("Accept", "application/xml"), new("Accept-Charset", "utf-16"), new("Accept-Encoding", "br;q=2, *;q=-1")]),
            ("gzip-claimed", [new("api-key", target.AdminKey), new("Content-Encoding", "gzip")]),
        ];
        if (writes)
        {
            sets.Add(("read-only-key", [new("api-key", target.ReadOnlyKey)]));
        }

        return sets;
    }

    private Dictionary<string, string> Placeholders(string template)
    {
        var values = new Dictionary<string, string>();
        foreach (var part in template.Split('/').Where(p => p.StartsWith('{')))
        {
            var name = part.Trim('{', '}');
            values[name] = name switch
            {
                "name" => target.Keep,
                "model" => target.Model,
                _ => "1",
            };
        }

        return values;
    }
}
