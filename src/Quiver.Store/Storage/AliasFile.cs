using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Core;

namespace Quiver.Store.Storage;

/// <summary>
/// The alias registry of a store: <c>aliases.json</c> in the collections root, replaced whole (written to a temporary
/// file, flushed, renamed over the old one), so a reader sees the old aliases or the new ones, never half of a change.
/// Changes, and the collection creates and deletes that must agree with them, hold <c>aliases.lock</c>, an exclusive
/// lock on a file that other processes (the CLI beside a server) respect too.
/// </summary>
internal static class AliasFile
{
    public const string FileName = "aliases.json";
    public const string LockName = "aliases.lock";
    private const int Format = 1;

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    /// <summary>Takes the store's alias lock, waiting up to 30 s for another writer (in this or another process).</summary>
    public static IDisposable Lock(string root)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, LockName);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock on Unix (flock) and a sharing lock on Windows.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < LockWait)
            {
                Thread.Sleep(10);
            }
            catch (IOException e)
            {
                throw new QuiverException(
                    $"The aliases of {root} stayed locked for {LockWait.TotalSeconds:0} s ({path}: {e.Message}). Another Quiver process is changing them; retry when it has finished.", e);
            }
        }
    }

    /// <summary>The alias → collection map, and the file's stamp (so readers can cache it until it changes).</summary>
    public static (Dictionary<string, string> Aliases, (long, long) Stamp) Read(string root)
    {
        var path = Path.Combine(root, FileName);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return (new Dictionary<string, string>(StringComparer.Ordinal), (0, -1));
        }

        var stamp = (info.LastWriteTimeUtc.Ticks, info.Length);
        try
        {
            var document = JsonNode.Parse(File.ReadAllBytes(path))?.AsObject()
                ?? throw new JsonException("the file holds null");
            var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (alias, collection) in document["aliases"]?.AsObject() ?? [])
            {
                aliases[alias] = collection?.GetValue<string>() ?? throw new JsonException($"alias '{alias}' names no collection");
            }

            return (aliases, stamp);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new QuiverException(
                $"The alias registry {path} is damaged ({e.Message}). Fix its JSON ({{\"aliases\": {{\"ALIAS\": \"COLLECTION\"}}}}) or delete it to drop every alias; the collections themselves are untouched.", e);
        }
    }

    public static void Write(string root, IReadOnlyDictionary<string, string> aliases)
    {
        var path = Path.Combine(root, FileName);
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var map = new JsonObject();
        foreach (var (alias, collection) in aliases.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            map[alias] = collection;
        }

        var document = new JsonObject { ["format"] = Format, ["aliases"] = map };
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                using (var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
                {
                    document.WriteTo(writer);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
