using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Quiver.Server.Explorer;

/// <summary>
/// The explorer page at <c>/explorer</c>: HTML, JavaScript and CSS embedded in this assembly, so the page works with no
/// internet and no files beside the server. The files hold no data (the page fetches it with the visitor's API key),
/// so they are served without a key: the page itself asks for one when the server needs it.
/// </summary>
internal static class ExplorerPage
{
    public const string Path = "/explorer";

    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> Files = Load();

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, () => Serve("index.html")).WithName("explorer").WithSummary("The explorer page: collections, map, search, clusters, outliers, models (no key needed; it asks for one)").WithTags("explorer")
            .Produces<string>(200, "text/html");
        routes.MapGet(Path + "/{file}", (string file) => Serve(file)).WithName("explorer_file").WithSummary("The explorer page's scripts and styles (no key needed)").WithTags("explorer")
            .Produces<string>(200, "text/javascript", "text/css");
    }

    /// <summary>Whether a request path is one of the page's files (served without a key); routing matches /explorer/ to /explorer.</summary>
    public static bool IsPageFile(string? path) =>
        path is not null && (path is Path or Path + "/" || (path.StartsWith(Path + "/", StringComparison.Ordinal) && Files.ContainsKey(path[(Path.Length + 1)..])));

    private static IResult Serve(string file) =>
        Files.TryGetValue(file, out var found)
            ? Results.Bytes(found.Bytes, found.ContentType)
            : Results.Json(
                new { status = new { error = $"The explorer has no file '{file}'; open {Path} for the page." } },
                statusCode: StatusCodes.Status404NotFound);

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        const string prefix = "explorer/";
        var assembly = typeof(ExplorerPage).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource[prefix.Length..];
            files[name] = (copy.ToArray(), ContentType(name));
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => System.IO.Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
