using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Quiver.Models.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Server;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver serve</c>: the HTTP server (OpenAI-compatible embeddings, Qdrant-compatible collections).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (';'-separated URLs); loopback only by default", DefaultValueFactory = _ => ServerOptions.DefaultUrl };
        var apiKeys = new Option<string[]>("--api-key") { Description = $"An admin key (repeatable); also read from {ServerOptions.ApiKeyVariable}. With none, no key is asked for", AllowMultipleArgumentsPerToken = false };
        var readOnlyKeys = new Option<string[]>("--read-only-key") { Description = $"A read-only key (repeatable); also read from {ServerOptions.ReadOnlyApiKeyVariable}" };
        var model = new Option<string?>("--model") { Description = $"The model for /v1/embeddings requests that name none (default: {ModelCatalogue.DefaultTextModelRule})" };
        var truncation = new Option<TruncationPolicy>("--truncation") { Description = "Inputs longer than the model reads, when a request does not say: Truncate (reported), Chunk or Error", DefaultValueFactory = _ => TruncationPolicy.Truncate };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads per model call (0: one per core)", DefaultValueFactory = _ => 1 };
        var workers = new Option<int>("--workers") { Description = "Model calls at once per model, each on its own batch of waiting requests (0: cores ÷ threads)" };
        var spinning = new Option<bool>("--spinning") { Description = "Let ONNX Runtime's threads spin between batches (off by default, so idle model threads leave the cores to HTTP)" };
        var modelBatch = new Option<int>("--model-batch") { Description = "Most sequences per ONNX Runtime run (merged requests are sorted by length and cut into runs of at most this many where padding costs more than a run)", DefaultValueFactory = _ => new ServerLimits().ModelBatchSize };
        var linger = new Option<double>("--batch-linger-ms") { Description = "Under concurrent load, how long a model call waits for more requests to merge (0: never waits)", DefaultValueFactory = _ => new ServerLimits().BatchLingerMilliseconds };
        var cacheEntries = new Option<int>("--cache-entries") { Description = "Embeddings each model keeps in memory for texts that come again (0: no cache)", DefaultValueFactory = _ => new ServerLimits().EmbeddingCacheEntries };
        var maxConcurrent = new Option<int>("--max-concurrent") { Description = "Requests served at once", DefaultValueFactory = _ => new ServerLimits().MaxConcurrentRequests };
        var queue = new Option<int>("--queue") { Description = "Requests that may wait; beyond it 429 with Retry-After", DefaultValueFactory = _ => new ServerLimits().QueueLimit };
        var maxBody = new Option<long>("--max-body-mib") { Description = "Largest request body in MiB", DefaultValueFactory = _ => new ServerLimits().MaxBodyBytes >> 20 };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Structured (JSON) logs" };
        var command = new Command(
            "serve",
            "Serve embeddings to OpenAI clients (POST /v1/embeddings, GET /v1/models) and collections to Qdrant clients " +
            "(/collections/...), with API keys, limits, /metrics (Prometheus), /healthz, /readyz, /docs and /openapi/v1.json. " +
            "Ctrl+C (SIGTERM) finishes the requests in flight and flushes the store.\n\n" +
            "Examples:\n  quiver serve\n  QUIVER_API_KEY=secret quiver serve --urls http://0.0.0.0:6333 --read-only-key reader\n" +
            "  curl -s localhost:6333/v1/embeddings -H 'content-type: application/json' -d '{\"input\": \"hello\", \"model\": \"all-minilm-l6-v2\"}'")
        {
            urls, apiKeys, readOnlyKeys, model, truncation, threads, workers, spinning, modelBatch, linger, cacheEntries, maxConcurrent, queue, maxBody, jsonLogs,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var limits = new ServerLimits
            {
                MaxConcurrentRequests = Positive(result.GetValue(maxConcurrent), "--max-concurrent"),
                ModelBatchSize = Positive(result.GetValue(modelBatch), "--model-batch"),
                BatchLingerMilliseconds = result.GetValue(linger) is var ms and >= 0 and <= 1000 ? ms : throw new Core.QuiverException($"--batch-linger-ms must be from 0 to 1000; it is {result.GetValue(linger)}."),
                QueueLimit = Math.Max(0, result.GetValue(queue)),
                EmbeddingCacheEntries = Math.Max(0, result.GetValue(cacheEntries)),
                MaxBodyBytes = Positive((int)Math.Min(int.MaxValue, result.GetValue(maxBody)), "--max-body-mib") * (1L << 20),
            };
            var options = new ServerOptions
            {
                Paths = context.Paths,
                Urls = result.GetValue(urls)!,
                AdminKeys = result.GetValue(apiKeys) ?? [],
                ReadOnlyKeys = result.GetValue(readOnlyKeys) ?? [],
                DefaultModel = result.GetValue(model),
                Truncation = result.GetValue(truncation),
                Threads = Math.Max(0, result.GetValue(threads)),
                Workers = Math.Max(0, result.GetValue(workers)),
                Spinning = result.GetValue(spinning),
                Limits = limits,
                JsonLogs = result.GetValue(jsonLogs),
            }.WithEnvironmentKeys();
            await using var app = QuiverServer.Build(options);
            await app.StartAsync(cancellationToken);
            context.Error.WriteLine($"quiver serve: listening on {string.Join(", ", app.Urls)} (collections in {context.Paths.Collections}); Ctrl+C stops.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new Core.QuiverException($"{option} must be at least 1; it is {value}.");
}
