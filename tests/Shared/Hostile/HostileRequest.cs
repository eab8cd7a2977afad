namespace Quiver.Tests.Shared.Hostile;

/// <summary>
/// One generated request: the operation it aims at (as the OpenAPI document names it), the mutation that made it from
/// a valid request, and what to send. <see cref="Body"/> is raw bytes because several mutations are not valid UTF-8.
/// </summary>
internal sealed record HostileRequest(
    string Operation,
    string Mutation,
    HttpMethod Method,
    string Path,
    byte[]? Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>"create_collection PUT /collections/{name}": how totals are grouped.</summary>
    public string Route { get; init; } = string.Empty;

    /// <summary>Whether the valid request it came from writes (its target is then the scratch collection).</summary>
    public bool Writes { get; init; }

    /// <summary>
    /// Whether Kestrel refuses it before any application code runs (a %00 in the path), with a 400 whose body it does
    /// not let an application write (the README's server section says so).
    /// </summary>
    public bool RefusedByKestrel => Path.Contains("%00", StringComparison.Ordinal);

    /// <summary>A short, printable description of the request for failure reports.</summary>
    public string Describe()
    {
        var body = Body is null ? string.Empty : " " + Printable(Body, 160);
        return $"[{Mutation}] {Method} {(Path.Length > 160 ? Path[..160] + "…" : Path)}{body}";
    }

    private static string Printable(byte[] bytes, int max)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, max));
        return bytes.Length > max ? text + $"… ({bytes.Length:N0} bytes)" : text;
    }
}
