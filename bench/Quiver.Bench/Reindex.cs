using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Core.Text;
using Quiver.Ingestion;
using Quiver.Store.Collections;

namespace Quiver.Bench;

/// <summary>
/// Incremental re-index: indexes a folder into a fresh collection, then indexes the unchanged folder again, and
/// reports both times and their ratio per round (median over rounds). The encoder is a cheap word-hashing one, so the
/// first index is as fast as Quiver's own chunking and storage allow and the ratio is not flattered by a slow model.
/// Usage: Quiver.Bench reindex --folder ../shared/data/corpus [--rounds 3] [--max-tokens 200]
/// </summary>
internal static class Reindex
{
    public static void Run(Args options)
    {
        var folder = options.Get("folder", "../shared/data/corpus");
        var rounds = int.Parse(options.Get("rounds", "3"), CultureInfo.InvariantCulture);
        var maxTokens = int.Parse(options.Get("max-tokens", "200"), CultureInfo.InvariantCulture);
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var root = Path.Combine(Path.GetTempPath(), "quiver-reindex-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var collection = new CollectionStore(root).Create("corpus", new CollectionOptions(HashingGenerator.Space));
                var indexer = new FolderIndexer(new HashingGenerator(), new TokenChunker(new WhitespaceTokenCounter(maxTokens)));
                var clock = Stopwatch.StartNew();
                var first = indexer.IndexAsync(folder, collection, null, CancellationToken.None).GetAwaiter().GetResult();
                var firstSeconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                var again = indexer.IndexAsync(folder, collection, null, CancellationToken.None).GetAwaiter().GetResult();
                var againSeconds = clock.Elapsed.TotalSeconds;
                ratios.Add(againSeconds / firstSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}: first index {first.Files} files, {first.Bytes / 1e6:F1} MB, {first.Chunks} chunks in {firstSeconds:F2} s; " +
                    $"unchanged re-index ({again.UnchangedFiles} unchanged, {again.Chunks} chunks written) in {againSeconds:F3} s; ratio {againSeconds / firstSeconds:P2}"));
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(root, recursive: true);
            }
        }

        ratios.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median re-index / first index time: {ratios[ratios.Count / 2]:P2} over {rounds} rounds"));
    }

    // Hashes each word into one of 64 dimensions: cheap, stable within a run, and never refusing a text.
    private sealed class HashingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public static readonly EmbeddingSpace Space = new(new ModelReference("hashing", "words", "1"), 64, DistanceMetric.Cosine, true);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var text in values)
            {
                var vector = new float[64];
                vector[0] = 1e-3f;
                foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    vector[(int)((uint)StringComparer.Ordinal.GetHashCode(word) % 64)] += 1;
                }

                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(EmbeddingSpace) ? Space : null;

        public void Dispose()
        {
        }
    }
}
