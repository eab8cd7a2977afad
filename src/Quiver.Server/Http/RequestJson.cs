using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Quiver.Server.Http;

/// <summary>
/// A request body that <see cref="JsonBodyScan"/> has checked whole, whose top-level fields are parsed only when a
/// route reads them: a field no route reads (a 30 MB array under an unknown key) costs its bytes in the buffer and
/// nothing more.
/// </summary>
/// <remarks>
/// Memory per request: the body's buffer (1 × its bytes), the scan (about 20 bytes per key of one object, none per
/// array item), and the fields a route reads as <see cref="JsonNode"/> trees. Each field is reserved in
/// <see cref="RequestMemory.Fields"/> before it is parsed, at <see cref="BytesPerValue"/> per JSON value plus
/// <see cref="BytesPerByte"/> per byte of the field, which is above what parsing takes (BodyMemoryTests checks it;
/// allocations per body byte, bench/README.md): an upsert of 8,000 points of 384 numbers 11.8 ×, 2,048 inputs of 2,800 token ids
/// 17.3 ×, 2,048 texts of 15,000 characters 3.0 ×, fifteen million 1s in a read field 44 ×. So one request takes
/// at most 1 + 52 × its bytes (a read field of one-digit numbers: a value per 2 bytes); the largest legal bodies
/// reserve 5 to 22 × their bytes and take 4 to 18 ×.
/// </remarks>
internal sealed class RequestJson
{
    /// <summary>Bytes a parsed JSON value may take: its node (about 50), its slot in a list, its share of the parsed document (12).</summary>
    public const long BytesPerValue = 96;

    /// <summary>Bytes per byte of a field: the parsed document's copy of it, its strings as UTF-16, and a byte to spare.</summary>
    public const long BytesPerByte = 4;

    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly List<JsonBodyScan.Field> _fields;
    private readonly JsonKeySet? _keys;
    private readonly BufferedBody? _owner;
    private readonly int _maxDepth;
    private readonly Dictionary<string, JsonNode?> _parsed = [];
    private readonly HashSet<string> _paidFor = [];

    internal RequestJson(ReadOnlyMemory<byte> utf8, List<JsonBodyScan.Field> fields, JsonKeySet? keys, BufferedBody? owner, int maxDepth)
    {
        _utf8 = utf8;
        _fields = fields;
        _keys = keys;
        _owner = owner;
        _maxDepth = maxDepth;
    }

    public static RequestJson Empty { get; } = new(ReadOnlyMemory<byte>.Empty, [], null, null, 1);

    /// <summary>The whole body, checked, for a typed read (<see cref="RequestBody"/>).</summary>
    public ReadOnlyMemory<byte> Utf8 => _utf8;

    /// <summary>How many top-level fields the body has.</summary>
    public int Count => _fields.Count;

    /// <summary>The names of the fields parsed so far (tests check that an unread field stayed bytes).</summary>
    public IReadOnlyCollection<string> Parsed => _parsed.Keys;

    /// <summary>The field <paramref name="name"/> as a JSON tree, parsed on first use; null when the body has none (or it is null).</summary>
    public JsonNode? this[string name]
    {
        get
        {
            if (_parsed.TryGetValue(name, out var node))
            {
                return node;
            }

            node = Find(name) is { } field ? Parse(name, field) : null;
            _parsed[name] = node;
            return node;
        }
    }

    /// <summary>
    /// Reserves the memory of the named fields before they are read, waiting up to <paramref name="wait"/> for room
    /// like a body does: routes whose main field is large (points, inputs) call it, so that under load their request
    /// waits its turn instead of being refused when the field is parsed. A field read without it is reserved then,
    /// without waiting.
    /// </summary>
    public async Task Reserve(TimeSpan wait, CancellationToken cancellationToken, params string[] names)
    {
        var fields = names.Where(n => !_paidFor.Contains(n) && !_parsed.ContainsKey(n)).Select(n => (Name: n, Field: Find(n))).Where(f => f.Field is not null).ToList();
        if (_owner is null || fields.Count == 0)
        {
            return;
        }

        var cost = fields.Sum(f => Cost(f.Field!.Value));
        if (cost > _owner.FieldBudget)
        {
            throw TooLarge(fields[0].Name, fields[0].Field!.Value, cost);
        }

        if (!await _owner.ReserveMore(cost, wait, cancellationToken))
        {
            throw Busy(fields[0].Name, cost);
        }

        _paidFor.UnionWith(fields.Select(f => f.Name));
    }

    /// <summary>What reading the field <paramref name="name"/> reserves (0 when the body has none).</summary>
    public long Estimate(string name) => Find(name) is { } field ? Cost(field) : 0;

    private static long Cost(JsonBodyScan.Field field) => (field.Values * BytesPerValue) + (field.Length * BytesPerByte);

    private ApiException TooLarge(string name, JsonBodyScan.Field field, long cost) =>
        new(413, $"would take about {cost >> 20} MiB to read ({field.Values} JSON values), more than the server's memory for parsed request fields ({_owner!.FieldBudget >> 20} MiB). Send fewer or smaller items per request.", name, "request_too_large");

    private static ApiException Busy(string name, long cost) =>
        new(503, $"would take about {cost >> 20} MiB to read, and the server's memory for parsed request fields is taken by other requests. Retry after the number of seconds in Retry-After.", name, "server_busy") { RetryAfter = "1" };

    private JsonBodyScan.Field? Find(string name)
    {
        if (_keys is null)
        {
            return null;
        }

        var body = _utf8.Span;
        var start = _keys.Find(body, Encoding.UTF8.GetBytes(name));
        if (start < 0)
        {
            return null;
        }

        var index = _fields.BinarySearch(new JsonBodyScan.Field(start, 0, 0, 0), JsonBodyScan.Field.ByKeyStart);
        return _fields[index];
    }

    private JsonNode? Parse(string name, JsonBodyScan.Field field)
    {
        var cost = Cost(field);
        if (_owner is not null && !_paidFor.Contains(name) && !_owner.TryReserveMore(cost))
        {
            throw cost > _owner.FieldBudget ? TooLarge(name, field, cost) : Busy(name, cost);
        }

        return JsonNode.Parse(_utf8.Span.Slice(field.ValueStart, field.Length), documentOptions: new JsonDocumentOptions { MaxDepth = _maxDepth });
    }
}
