using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Quiver.Server.Http;
using Quiver.Server.Security;
using Quiver.Store.Snapshots;

namespace Quiver.Server.Collections;

/// <summary>
/// Qdrant's collection snapshot routes: create, list, download and delete the snapshots kept under QUIVER_HOME/snapshots,
/// and recover a collection from a file on the server (a path, a file:// URL, or the name of one of its snapshots) or
/// from an upload. An upload is streamed to a file as it arrives (<see cref="StreamedBody"/>), never held in the body
/// memory, and the collection is replaced only once the snapshot has been verified whole.
/// </summary>
internal static class SnapshotsEndpoints
{
    // Declared beside the two real types so routing does not answer 415 before the key is checked; the handler refuses other types itself.
    private const string AnyContentType = "*/*";

    public static void Map(IEndpointRouteBuilder routes)
    {
        const string Snapshots = "/collections/{name}/snapshots";
        routes.MapPost(Snapshots, Create).RequiresWrite().WithName("create_snapshot").WithSummary("Snapshot a collection (SQLite online backup, index, SHA-256 manifest)").WithTags("snapshots")
            .Accepts<EmptyRequest>(isOptional: true, "application/json").Produces<QdrantResponse<SnapshotDescription>>();
        routes.MapGet(Snapshots, List).WithName("list_snapshots").WithSummary("List a collection's snapshots").WithTags("snapshots")
            .Produces<QdrantResponse<SnapshotDescription[]>>();
        routes.MapGet(Snapshots + "/{snapshot_name}", Download).WithName("get_snapshot").WithSummary("Download a snapshot file").WithTags("snapshots")
            .Produces<SnapshotFileBytes>(contentType: "application/octet-stream");
        routes.MapDelete(Snapshots + "/{snapshot_name}", Delete).RequiresWrite().WithName("delete_snapshot").WithSummary("Delete a snapshot").WithTags("snapshots")
            .Produces<QdrantResponse<bool>>();
        routes.MapPut(Snapshots + "/recover", Recover).RequiresWrite().WithName("recover_from_snapshot").WithSummary("Restore a collection from a snapshot file on the server").WithTags("snapshots")
            .Accepts<SnapshotRecoverRequest>("application/json").Produces<QdrantResponse<bool>>();
        routes.MapPost(Snapshots + "/upload", Upload).RequiresWrite().StreamsBody().WithName("recover_from_uploaded_snapshot").WithSummary("Restore a collection from an uploaded snapshot (multipart field \"snapshot\", or the raw file)").WithTags("snapshots")
            .Accepts<SnapshotUpload>("multipart/form-data", "application/octet-stream", AnyContentType).Produces<QdrantResponse<bool>>();
    }

    private static async Task<IResult> Create(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        await RequestBody.Read(context, options.Limits, RequestTypes.Empty, allowEmpty: true);
        var snapshot = await Task.Run(() => collections.Snapshots.Create(collection, cancellationToken: context.RequestAborted), context.RequestAborted);
        return QdrantJson.Ok(context, Describe(snapshot));
    }

    private static IResult List(string name, HttpContext context, ServedCollections collections)
    {
        var collection = collections.Get(name);
        return QdrantJson.Ok(context, new JsonArray([.. collections.Snapshots.List(collection.Name).Select(s => (JsonNode)Describe(s))]));
    }

    private static IResult Download(string name, string snapshot_name, HttpContext context, ServedCollections collections)
    {
        var collection = collections.Get(name);
        var snapshot = collections.Snapshots.Find(collection.Name, snapshot_name) ?? throw SnapshotNotFound(snapshot_name);
        return Results.File(snapshot.Path, "application/octet-stream", snapshot.Name, enableRangeProcessing: true);
    }

    private static IResult Delete(string name, string snapshot_name, HttpContext context, ServedCollections collections)
    {
        var collection = collections.Get(name);
        if (!collections.Snapshots.Delete(collection.Name, snapshot_name))
        {
            throw SnapshotNotFound(snapshot_name);
        }

        return QdrantJson.Ok(context, true);
    }

    private static async Task<IResult> Recover(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        Quiver.Core.ResourceName.Validate(name, "collection");
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Recover);
        var location = request.Location ?? throw ApiException.BadRequest("is required: a path on the server, a file:// URL, or the name of one of this collection's snapshots.", "location");
        var checksum = Checksum(request.Checksum, "checksum");
        Priority(request.Priority, "priority");
        var file = Locate(collections, name, location);
        var restored = await Task.Run(() => collections.Restore(name, file, checksum, context.RequestAborted), context.RequestAborted);
        return QdrantJson.Ok(context, restored is not null);
    }

    private static async Task<IResult> Upload(string name, HttpContext context, ServedCollections collections)
    {
        Quiver.Core.ResourceName.Validate(name, "collection");
        var query = context.Request.Query;
        var checksum = Checksum(query["checksum"].FirstOrDefault(), "checksum");
        Priority(query["priority"].FirstOrDefault(), "priority");
        var uploads = Path.Combine(collections.Snapshots.Root, ".uploads");
        Directory.CreateDirectory(uploads);
        var file = Path.Combine(uploads, $"{Guid.NewGuid():N}{CollectionSnapshots.Extension}");
        try
        {
            await Receive(context, file);
            var restored = await Task.Run(() => collections.Restore(name, file, checksum, context.RequestAborted), context.RequestAborted);
            return QdrantJson.Ok(context, restored is not null);
        }
        finally
        {
            File.Delete(file);
        }
    }

    // Copies the upload to the file as it arrives: the multipart field "snapshot" (as Qdrant's clients send it), or
    // the whole body when it is sent raw.
    private static async Task Receive(HttpContext context, string file)
    {
        var request = context.Request;
        await using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        try
        {
            if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
                if (string.IsNullOrEmpty(boundary))
                {
                    throw ApiException.BadRequest("The multipart body has no boundary in its Content-Type. Send the file as the form field \"snapshot\".", "snapshot");
                }

                var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
                while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
                {
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) &&
                        HeaderUtilities.RemoveQuotes(disposition.Name).Value == "snapshot")
                    {
                        await section.Body.CopyToAsync(output, context.RequestAborted);
                        return;
                    }
                }

                throw ApiException.BadRequest("The multipart body has no field \"snapshot\". Send the snapshot file as the form field \"snapshot\".", "snapshot");
            }

            if (request.ContentType is not null && !(type?.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase) ?? false))
            {
                throw new ApiException(
                    415, $"The body's Content-Type is '{request.ContentType}'; send the snapshot file as multipart/form-data (field \"snapshot\") or application/octet-stream.", code: "unsupported_media_type");
            }

            await request.Body.CopyToAsync(output, context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e.Message.StartsWith("Unexpected end of", StringComparison.Ordinal)))
        {
            throw ApiException.BadRequest($"The multipart body is malformed ({e.Message}). Send the snapshot file as the form field \"snapshot\".", "snapshot");
        }
    }

    // Where a recover's location points: a path or file:// URL on the server, or a snapshot of this collection by name.
    private static string Locate(ServedCollections collections, string name, string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            throw ApiException.BadRequest(
                $"'{location}': Quiver does not download snapshots. Upload the file with POST /collections/{name}/snapshots/upload, or give a path on the server.", "location");
        }

        string path;
        if (location.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (uri is not { IsFile: true })
            {
                throw ApiException.BadRequest($"'{location}' is not a valid file:// URL; the path must be absolute (file:///path/to/file.snapshot).", "location");
            }

            path = uri.LocalPath;
        }
        else if (Path.IsPathFullyQualified(location))
        {
            path = location;
        }
        else if (collections.Snapshots.Find(collections.Store.Resolve(name), location) is { } snapshot)
        {
            path = snapshot.Path;
        }
        else
        {
            throw ApiException.BadRequest(
                $"'{location}' is neither an absolute path, a file:// URL, nor a snapshot of collection {name} (see GET /collections/{name}/snapshots).", "location");
        }

        if (!File.Exists(path))
        {
            throw ApiException.BadRequest($"Snapshot file {path} does not exist. Give the path of a snapshot file on the server.", "location");
        }

        return path;
    }

    private static string? Checksum(string? checksum, string param) =>
        checksum is null || (checksum.Length == 64 && checksum.All(char.IsAsciiHexDigit))
            ? checksum
            : throw ApiException.BadRequest($"'{checksum}' is not a SHA-256 checksum: give 64 hexadecimal digits.", param);

    // Qdrant's priority matters only between a cluster's replicas; a single Quiver server accepts its values and has one copy.
    private static void Priority(string? priority, string param)
    {
        if (priority is not (null or "no_sync" or "snapshot" or "replica"))
        {
            throw ApiException.BadRequest($"'{priority}' is not a priority; use no_sync, snapshot or replica.", param);
        }
    }

    private static ApiException SnapshotNotFound(string snapshot) =>
        ApiException.NotFound($"Not found: Snapshot {snapshot} not found. List them with GET /collections/{{name}}/snapshots.", code: "snapshot_not_found");

    private static JsonObject Describe(SnapshotInfo snapshot) => new()
    {
        ["name"] = snapshot.Name,
        ["creation_time"] = snapshot.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        ["size"] = snapshot.Size,
        ["checksum"] = snapshot.Checksum,
    };
}
