using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Quiver.Analysis.Evaluation;
using Quiver.Analysis.Metrics;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Store.Collections;
using Quiver.Store.Search;
using Quiver.Store.Keyword;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver eval retrieval</c>: indexes a test collection (BEIR, CISI or Cranfield) into a temporary collection and
/// scores keyword, dense and hybrid rankings of its judged queries by nDCG@10, MAP, Recall@100 and MRR.
/// </summary>
internal static class RetrievalEvalCommand
{
    private const int Depth = 100;

    public static Command Create(CliContext context)
    {
        var folder = new Argument<DirectoryInfo>("collection-folder") { Description = "A BEIR folder (corpus.jsonl, queries.jsonl, qrels/), or CISI's or Cranfield's SMART files" };
        var model = CliOptions.TextModel(context);
        var pooling = CliOptions.Pooling();
        var modes = new Option<SearchMode[]>("--modes") { Description = "Modes to evaluate: keyword dense hybrid (default all three)", AllowMultipleArgumentsPerToken = true };
        var stemming = new Option<KeywordStemming>("--stemming") { Description = "Keyword index stemming: None or English", DefaultValueFactory = _ => KeywordStemming.English };
        var rrfK = new Option<int>("--rrf-k") { Description = "Reciprocal rank fusion's k for the hybrid rrf row", DefaultValueFactory = _ => 60 }.AtLeast(0, "60");
        var weights = new Option<double[]>("--weight")
        {
            Description = "Keyword weights for hybrid weighted-sum rows (one row each; default 0.5)",
            AllowMultipleArgumentsPerToken = true,
        }.Between(0, 1, "0.3");
        var candidates = new Option<int>("--candidates") { Description = "Candidates per side for fusion", DefaultValueFactory = _ => Depth }.AtLeast(1, "100");
        var command = new Command(
            "retrieval",
            "Retrieval quality on a test collection: nDCG@10 (graded gains), MAP, Recall@100 and MRR over the judged queries, for BM25 " +
            "keyword search, dense search with the model, and hybrid fusion (RRF and weighted sums).\n\n" +
            "Examples:\n  quiver eval retrieval ../shared/data/retrieval/cranfield\n" +
            "  quiver eval retrieval ../shared/data/retrieval/cisi --modes keyword hybrid --weight 0.3 0.5 --json")
        {
            folder, model, pooling, modes, stemming, rrfK, weights, candidates,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var data = RetrievalData.Read(result.GetValue(folder)!.FullName);
            var chosen = result.GetValue(modes) is { Length: > 0 } m ? m.Distinct().ToList() : [SearchMode.Keyword, SearchMode.Dense, SearchMode.Hybrid];
            var needsVectors = chosen.Any(x => x != SearchMode.Keyword);
            // Documents and queries each get the model's prompt for their role (arctic-embed prompts its queries).
            using var documents = needsVectors ? InstalledModels.OpenTextGenerator(context.Paths, result.GetValue(model)!, result.GetValue(pooling), role: TextRole.Document) : null;
            using var queries = needsVectors ? InstalledModels.OpenTextGenerator(context.Paths, result.GetValue(model)!, result.GetValue(pooling), role: TextRole.Query) : null;
            var runs = Runs(chosen, result.GetValue(rrfK), result.GetValue(weights) is { Length: > 0 } given ? given : [0.5], result.GetValue(candidates));
            var evaluation = await EvaluateAsync(data, documents, queries, runs, result.GetValue(stemming), context, cancellationToken);
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Collection = data.Name,
                    data.Layout,
                    evaluation.Documents,
                    evaluation.EmptyDocuments,
                    JudgedQueries = data.JudgedQueries.Count,
                    evaluation.Model,
                    Stemming = result.GetValue(stemming).ToString(),
                    evaluation.EmbedSeconds,
                    Results = evaluation.Rows,
                });
                return 0;
            }

            var table = new Table().AddColumns("mode", "nDCG@10", "MAP", "Recall@100", "MRR", "no-word queries");
            foreach (var r in evaluation.Rows)
            {
                table.AddRow(Markup.Escape(r.Mode), (r.Ndcg10 * 100).ToString("F2"), (r.Map * 100).ToString("F2"), (r.Recall100 * 100).ToString("F2"), (r.Mrr * 100).ToString("F2"), r.EmptyQueries.ToString());
            }

            context.Console.Write(table);
            context.Console.MarkupLine(
                $"[grey]{Markup.Escape(data.Name)}: {evaluation.Documents:N0} documents, {data.JudgedQueries.Count} judged queries; metrics x100; " +
                $"keyword stemming {result.GetValue(stemming)}{(evaluation.Model is { } dense ? $"; dense model {Markup.Escape(dense)} (embedding {evaluation.EmbedSeconds:F1} s)" : string.Empty)}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>One run per keyword or dense mode; hybrid gives an RRF run and a weighted-sum run per keyword weight.</summary>
    internal static IReadOnlyList<(string Label, SearchRequest Template)> Runs(IReadOnlyList<SearchMode> modes, int rrfK, IReadOnlyList<double> keywordWeights, int candidates)
    {
        var runs = new List<(string Label, SearchRequest Template)>();
        foreach (var mode in modes)
        {
            var template = new SearchRequest { Mode = mode, K = Depth, Candidates = candidates };
            if (mode != SearchMode.Hybrid)
            {
                runs.Add((mode.ToString().ToLowerInvariant(), template));
                continue;
            }

            runs.Add(($"hybrid rrf k={rrfK}", template with { Fusion = FusionMethod.ReciprocalRank, RrfK = rrfK }));
            foreach (var w in keywordWeights)
            {
                runs.Add(($"hybrid weighted w={w:0.###}", template with { Fusion = FusionMethod.WeightedSum, KeywordWeight = w }));
            }
        }

        return runs;
    }

    /// <summary>
    /// Embeds the collection's documents and judged queries with <paramref name="generator"/> (null when every run is
    /// keyword search), indexes them into a temporary collection, scores each run and deletes the collection.
    /// </summary>
    /// <summary>
    /// Scores <paramref name="runs"/> on <paramref name="data"/>; documents are embedded with
    /// <paramref name="generator"/> and queries with <paramref name="queryGenerator"/> (the same model with its query
    /// prompt; the document generator when null). No generators: keyword runs only.
    /// </summary>
    internal static async Task<RetrievalEvaluation> EvaluateAsync(
        RetrievalCollection data,
        IEmbeddingGenerator<string, Embedding<float>>? generator,
        IEmbeddingGenerator<string, Embedding<float>>? queryGenerator,
        IReadOnlyList<(string Label, SearchRequest Template)> runs,
        KeywordStemming stemming,
        CliContext context,
        CancellationToken cancellationToken)
    {
        var judged = data.JudgedQueries;

        // Empty documents (Cranfield has a few) have nothing to embed or match; they are left out of every mode alike.
        var documents = data.Documents.Where(d => !string.IsNullOrWhiteSpace(d.FullText)).ToList();
        context.Note($"{data.Name} ({data.Layout}): {documents.Count:N0} documents ({data.Documents.Count - documents.Count} empty left out), {judged.Count} judged of {data.Queries.Count} queries");

        var root = Path.Combine(Path.GetTempPath(), "quiver-eval-" + Guid.NewGuid().ToString("N"));
        try
        {
            var space = generator?.GetService<EmbeddingSpace>() ?? EmbeddingSpace.Raw(1, DistanceMetric.Cosine);
            var clock = Stopwatch.StartNew();
            var documentVectors = generator is null
                ? documents.Select(_ => new[] { 1f }).ToList()
                : await EmbedAsync(generator, documents.Select(d => d.FullText).ToList(), "documents", context, cancellationToken);
            List<float[]>? queryVectors = null;
            if (generator is not null)
            {
                queryGenerator ??= generator;
                space.EnsureAccepts(queryGenerator.GetService<EmbeddingSpace>()!, "Queries");
                queryVectors = await EmbedAsync(queryGenerator, judged.Select(q => q.Text).ToList(), "queries", context, cancellationToken);
            }

            var embedSeconds = clock.Elapsed.TotalSeconds;

            using var collection = new CollectionStore(root).Create("eval", new CollectionOptions(space, Keyword: new KeywordOptions(stemming)));
            collection.Upsert(documents.Select((d, i) => new Point(d.Id, documentVectors[i], null, d.FullText)).ToList(), space);
            var rows = runs.Select(run => Score(collection, judged, queryVectors, data, run.Label, run.Template)).ToList();
            return new RetrievalEvaluation(rows, documents.Count, data.Documents.Count - documents.Count, generator is null ? null : space.ModelId, embedSeconds);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static RetrievalRow Score(
        Collection collection, IReadOnlyList<RetrievalQuery> judged, IReadOnlyList<float[]>? queryVectors, RetrievalCollection data, string label, SearchRequest template)
    {
        double ndcg = 0, map = 0, recall = 0, mrr = 0;
        var empty = 0;
        for (var i = 0; i < judged.Count; i++)
        {
            var gains = data.Judgements[judged[i].Id];
            IReadOnlyList<string> ranking;
            try
            {
                ranking = collection.Search(template with
                {
                    Vector = template.Mode == SearchMode.Keyword ? null : queryVectors![i],
                    Text = template.Mode == SearchMode.Dense ? null : judged[i].Text,
                }).Select(h => h.Id).ToList();
            }
            catch (QuiverException) when (template.Mode == SearchMode.Keyword)
            {
                // A query with no words retrieves nothing by keyword; it still counts, with zero scores.
                ranking = [];
                empty++;
            }

            ndcg += RetrievalMetrics.NdcgAt(ranking, gains, 10);
            map += RetrievalMetrics.AveragePrecision(ranking, gains);
            recall += RetrievalMetrics.RecallAt(ranking, gains, Depth);
            mrr += RetrievalMetrics.ReciprocalRank(ranking, gains);
        }

        var n = Math.Max(judged.Count, 1);
        return new RetrievalRow(label, ndcg / n, map / n, recall / n, mrr / n, empty);
    }

    private static async Task<List<float[]>> EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, List<string> texts, string what, CliContext context, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += 64)
        {
            var batch = texts.GetRange(start, Math.Min(64, texts.Count - start));
            var embeddings = await generator.GenerateAsync(batch, cancellationToken: cancellationToken);
            vectors.AddRange(embeddings.Select(e => e.Vector.ToArray()));
            if (start % 512 == 0)
            {
                context.Note($"embedding {what}: {vectors.Count:N0}/{texts.Count:N0}");
            }
        }

        return vectors;
    }

    internal sealed record RetrievalRow(string Mode, double Ndcg10, double Map, double Recall100, double Mrr, int EmptyQueries);

    /// <param name="Model">The dense model's space id; null when no run needed vectors.</param>
    internal sealed record RetrievalEvaluation(IReadOnlyList<RetrievalRow> Rows, int Documents, int EmptyDocuments, string? Model, double EmbedSeconds);
}
