using Quiver.Cluster;
using Quiver.Core;
using Quiver.Models.Onnx;
using Quiver.Server.Operations;

namespace Quiver.Server;

/// <summary>How a Quiver server listens, whom it lets in, and what it accepts.</summary>
public sealed record ServerOptions
{
    /// <summary>The environment variable holding admin API keys (comma-separated).</summary>
    public const string ApiKeyVariable = "QUIVER_API_KEY";

    /// <summary>The environment variable holding read-only API keys (comma-separated).</summary>
    public const string ReadOnlyApiKeyVariable = "QUIVER_READ_ONLY_API_KEY";

    /// <summary>The environment variable <c>quiver serve</c> reads a loopback port from when neither --urls nor --port is given.</summary>
    public const string PortVariable = "QUIVER_PORT";

    /// <summary>Loopback only unless told otherwise; 6333 is Qdrant's port, so Qdrant clients' defaults reach it.</summary>
    public const string DefaultUrl = "http://127.0.0.1:6333";

    public required QuiverPaths Paths { get; init; }

    /// <summary>The certificate for https:// URLs: a PEM file (with <see cref="TlsKeyPath"/>, or its key inside) or a PFX file without a password.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>The PEM private key of <see cref="TlsCertificatePath"/>, when that file holds only the certificate.</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>Lets the server listen beyond loopback with no API key at all (anyone who reaches it may read, write and delete).</summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>The addresses to listen on (Kestrel URLs separated by ';').</summary>
    public string Urls { get; init; } = DefaultUrl;

    /// <summary>
    /// Where Qdrant's gRPC API listens (one URL, HTTP/2 only; port 0 picks a free one), or null for no gRPC. The library
    /// leaves it off; <c>quiver serve</c> listens on REST's port + 1, 6334 beside the default 6333, as Qdrant does.
    /// </summary>
    public string? GrpcUrl { get; init; }

    /// <summary>Every URL the server listens on: <see cref="Urls"/>, then <see cref="GrpcUrl"/>.</summary>
    public string AllUrls => GrpcUrl is null ? Urls : $"{Urls};{GrpcUrl}";

    /// <summary>Keys that may read and write. With no keys at all, every request is let in.</summary>
    public IReadOnlyList<string> AdminKeys { get; init; } = [];

    /// <summary>Keys that may only read (embed, search, list); a write with one is refused with 403.</summary>
    public IReadOnlyList<string> ReadOnlyKeys { get; init; } = [];

    /// <summary>The model for /v1/embeddings requests that name none; the catalogue's default text model when null.</summary>
    public string? DefaultModel { get; init; }

    /// <summary>What happens to inputs longer than the model accepts when a request does not say.</summary>
    public TruncationPolicy Truncation { get; init; } = TruncationPolicy.Truncate;

    /// <summary>ONNX Runtime threads per model call (0: one per core).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Model calls that run at once per model, each on its own batch of waiting requests (0: cores ÷ threads).
    /// Single-threaded calls side by side beat one call on every core for a server's small mixed batches: a call
    /// then never waits at a thread barrier for a core the HTTP work holds (USE-lite, calls of 40 mixed sentences:
    /// 635 against 439–486 sentences/s on 2 cores; Quiver.Bench encoder --per-call 40 --parallel 2 --threads 1).
    /// </summary>
    public int Workers { get; init; }

    /// <summary>The model calls at once per model that <see cref="Workers"/> and <see cref="Threads"/> come to.</summary>
    public int ModelWorkers => Workers > 0 ? Workers : Math.Max(1, Environment.ProcessorCount / Math.Max(1, Threads > 0 ? Threads : Environment.ProcessorCount));

    /// <summary>Whether ONNX Runtime's threads spin between batches (off: idle model threads leave the cores to HTTP).</summary>
    public bool Spinning { get; init; }

    public ServerLimits Limits { get; init; } = new();

    /// <summary>
    /// Cluster mode: an Orleans silo in this server's host, joined to the cluster these options name, so the Qdrant
    /// routes can create and serve distributed collections beside local ones. Null (the default): one process.
    /// </summary>
    public ClusterHostOptions? Cluster { get; init; }

    /// <summary>Structured (JSON) console logs instead of plain text.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Whether no key is asked for and some URL listens beyond loopback: the server refuses that unless <see cref="AllowAnonymous"/>.</summary>
    public bool IsOpenToNetwork => AdminKeys.Count == 0 && ReadOnlyKeys.Count == 0 && ListenAddresses.BeyondLoopback(AllUrls).Count > 0;

    /// <summary>Adds the keys in <see cref="ApiKeyVariable"/> and <see cref="ReadOnlyApiKeyVariable"/>.</summary>
    public ServerOptions WithEnvironmentKeys() => this with
    {
        AdminKeys = [.. AdminKeys, .. Split(Environment.GetEnvironmentVariable(ApiKeyVariable))],
        ReadOnlyKeys = [.. ReadOnlyKeys, .. Split(Environment.GetEnvironmentVariable(ReadOnlyApiKeyVariable))],
    };

    private static IEnumerable<string> Split(string? keys) =>
        (keys ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
