using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Quiver.Cli.Parsing;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Ingestion;
using Quiver.Ingestion.Retrieval;
using Quiver.Models;
using Quiver.Models.Onnx;
using Quiver.Models.Static;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Search;
using Quiver.Store.Index;
using Quiver.Store.Index.Quantization;
using Quiver.Store.Keyword;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver index</c>, <c>search</c> and <c>collections</c>.</summary>
internal static class IndexCommands
{
    public static Command CreateIndex(CliContext context)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = $"Folder of documents, searched recursively: {Formats(FolderIndexer.Extensions)}; with an image model, images: {Formats(ImageFolderIndexer.MediaTypes.Keys)}" };
        var collection = CliOptions.Collection();
        var model = CliOptions.TextModel(context);
        var pooling = CliOptions.Pooling();
        var maxChars = new Option<int?>("--max-chars") { Description = "Chunk by characters instead of tokens: paragraphs packed up to this many characters" }.AtLeast(1, "1000");
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Largest chunk in the model's tokens (default and ceiling: the model's limit; 256 words for word vectors)" }.AtLeast(1, "256");
        var overlap = new Option<int?>("--overlap") { Description = "Tokens of the previous chunk's last sentences repeated at the start of the next (default 32, at most a quarter of the chunk)" }.AtLeast(0, "32");
        var quantization = new Option<QuantizationKind>("--quantization")
        {
            Description = "For a new collection: None, Int8 or Binary codes for the candidate search (rescored exactly)",
            DefaultValueFactory = _ => QuantizationKind.None,
        };
        var stemming = new Option<KeywordStemming>("--stemming")
        {
            Description = "For a new collection: None or English (Porter) stemming in the keyword (BM25) index",
            DefaultValueFactory = _ => KeywordStemming.None,
        };
        var command = new Command(
            "index",
            $"Index a folder: read its documents ({Formats(FolderIndexer.Extensions)}), chunk them by the model's tokens on sentence and heading " +
            "boundaries, embed the chunks and store them in a collection (created on first use). Re-running it is incremental: " +
            "unchanged files are skipped, changed ones re-chunked, deleted ones removed. A run that fails or is cancelled " +
            "removes the collection again if it created it.\n\n" +
            "Example: quiver index ../shared/data/corpus --collection corpus")
        {
            folder, collection, model, pooling, maxChars, maxTokens, overlap, quantization, stemming,
        };
        command.SetAction((result, cancellationToken) =>
            RemovedOnFailure(CollectionStore.FromPaths(context.Paths), result.GetValue(collection)!, () => IndexAsync(result, cancellationToken)));
        return command;

        async Task<int> IndexAsync(ParseResult result, CancellationToken cancellationToken)
        {
            if (ModelKinds.Of(InstalledModels.Manifest(context.Paths, result.GetValue(model)!)).OpensAsImage)
            {
                return await IndexImagesAsync(context, result.GetValue(folder)!.FullName, result.GetValue(collection)!, result.GetValue(model)!, result.GetValue(quantization), result.GetValue(CliOptions.Json), cancellationToken);
            }

            using var generator = InstalledModels.OpenTextGenerator(context.Paths, result.GetValue(model)!, result.GetValue(pooling), role: TextRole.Document);
            var space = generator.GetService<EmbeddingSpace>()!;
            var store = CollectionStore.FromPaths(context.Paths);
            var indexOptions = IndexOptions.Default with { Quantization = result.GetValue(quantization) };
            using var target = store.OpenOrCreate(result.GetValue(collection)!, new CollectionOptions(space, indexOptions, new KeywordOptions(result.GetValue(stemming))));
            IDocumentChunker chunker = result.GetValue(maxChars) is { } chars
                ? new ParagraphChunker(chars)
                : new TokenChunker(TokenCounterFor(generator), result.GetValue(maxTokens), result.GetValue(overlap));
            var indexer = new FolderIndexer(generator, chunker);
            var path = result.GetValue(folder)!.FullName;
            var (summary, linked) = context.ErrorConsole.Profile.Capabilities.Interactive
                ? await IndexWithBarAsync(context, indexer, path, target, cancellationToken)
                : await IndexWithLinesAsync(context, indexer, path, target, cancellationToken);
            var other = summary.Elapsed - summary.EmbeddingTime - summary.StorageTime;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Collection = target.Name,
                    summary.Files,
                    summary.Chunks,
                    summary.Bytes,
                    summary.RemovedChunks,
                    ElapsedSeconds = summary.Elapsed.TotalSeconds,
                    summary.ChunksPerSecond,
                    summary.FilesPerSecond,
                    EmbeddingSeconds = summary.EmbeddingTime.TotalSeconds,
                    StorageSeconds = summary.StorageTime.TotalSeconds,
                    ReadingAndChunkingSeconds = other.TotalSeconds,
                    SearchIndexSeconds = linked.TotalSeconds,
                    PeakWorkingSetBytes = peak,
                    summary.Skipped,
                });
            }
            else
            {
                context.Console.MarkupLine(
                    $"[green]indexed[/] {summary.Files:N0} {(summary.Files == 1 ? "file" : "files")} ({summary.Bytes / 1e6:F1} MB) into {summary.Chunks:N0} chunks of collection " +
                    $"[bold]{Markup.Escape(target.Name)}[/] in {summary.Elapsed.TotalSeconds:F1} s: {summary.ChunksPerSecond:N0} chunks/s, " +
                    $"{summary.Bytes / 1e3 / Math.Max(summary.Elapsed.TotalSeconds, 1e-9):N1} kB/s, peak memory {peak / 1048576.0:N0} MiB" +
                    $" (embedding {summary.EmbeddingTime.TotalSeconds:F1} s, reading and chunking {other.TotalSeconds:F1} s, " +
                    $"storing {summary.StorageTime.TotalSeconds:F1} s, search index {linked.TotalSeconds:F1} s)" +
                    (summary.RemovedChunks > 0 ? $", {summary.RemovedChunks} stale chunks removed" : string.Empty));
                foreach (var skipped in summary.Skipped)
                {
                    var reason = skipped.Reason.Length <= 160 ? skipped.Reason : skipped.Reason[..157] + "...";
                    context.Console.MarkupLine($"[yellow]skipped[/] {Markup.Escape(skipped.Path)}: {Markup.Escape(reason)}");
                }
            }

            return 0;
        }
    }

    /// <summary>
    /// Runs <paramref name="index"/> into the collection <paramref name="name"/>; when this run created the collection
    /// and fails or is cancelled, the collection is deleted again, so that a failed first index leaves nothing behind.
    /// An existing collection is never deleted.
    /// </summary>
    private static async Task<int> RemovedOnFailure(CollectionStore store, string name, Func<Task<int>> index)
    {
        var created = !store.Exists(name);
        try
        {
            return await index();
        }
        catch (Exception) when (created && store.Exists(name))
        {
            store.Delete(name);
            throw;
        }
    }

    private static string Formats(IEnumerable<string> extensions) => string.Join(", ", extensions.Order(StringComparer.Ordinal));

    // A terminal gets a live bar that moves with every embedded slice of chunks, by bytes of the folder.
    private static Task<(IndexSummary Summary, TimeSpan Linking)> IndexWithBarAsync(CliContext context, FolderIndexer indexer, string path, Collection target, CancellationToken cancellationToken) =>
        context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progressContext =>
            {
                var task = progressContext.AddTask("indexing", maxValue: 1);
                var clock = Stopwatch.StartNew();
                var progress = new Core.SynchronousProgress<IndexProgress>(p =>
                {
                    task.MaxValue = Math.Max(p.BytesTotal, 1);
                    task.Value = p.Bytes;
                    task.Description = Markup.Escape(IndexProgressReport.Describe(p, clock.Elapsed));
                });
                var summary = await indexer.IndexAsync(path, target, progress, cancellationToken);
                task.Value = task.MaxValue;

                // Link the new vectors into the search graph now and save it, so searches start warm.
                var linking = progressContext.AddTask("building the search index", maxValue: 1).IsIndeterminate();
                var linkClock = Stopwatch.StartNew();
                target.Flush();
                linking.Value = 1;
                return (summary, linkClock.Elapsed);
            });

    // Redirected standard error (a log, CI): a progress line every 5 seconds.
    private static async Task<(IndexSummary Summary, TimeSpan Linking)> IndexWithLinesAsync(CliContext context, FolderIndexer indexer, string path, Collection target, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var report = new IndexProgressReport(TimeSpan.FromSeconds(5), () => clock.Elapsed, context.Note);
        var summary = await indexer.IndexAsync(path, target, new Core.SynchronousProgress<IndexProgress>(report.Report), cancellationToken);
        context.Note("building the search index");
        var linkClock = Stopwatch.StartNew();
        target.Flush();
        return (summary, linkClock.Elapsed);
    }

    private static async Task<int> IndexImagesAsync(CliContext context, string folder, string collectionName, string modelName, QuantizationKind quantization, bool json, CancellationToken cancellationToken)
    {
        using var generator = InstalledModels.OpenImage(context.Paths, modelName).CreateGenerator();
        var store = CollectionStore.FromPaths(context.Paths);
        using var target = store.OpenOrCreate(collectionName, new CollectionOptions(generator.Space, IndexOptions.Default with { Quantization = quantization }));
        var clock = Stopwatch.StartNew();
        var summary = await new ImageFolderIndexer(generator).IndexAsync(
            folder,
            target,
            new Core.SynchronousProgress<IndexProgress>(p => context.Note($"{p.FilesDone}/{p.FilesTotal} images, {p.FilesDone / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):F0}/s")),
            cancellationToken);
        target.Flush();
        if (json)
        {
            context.WriteJson(new { Collection = target.Name, Images = summary.Files, summary.Bytes, ElapsedSeconds = summary.Elapsed.TotalSeconds, summary.Skipped });
            return 0;
        }

        context.Console.MarkupLine(
            $"[green]indexed[/] {summary.Files} images ({summary.Bytes / 1e6:F1} MB) into collection [bold]{Markup.Escape(target.Name)}[/] in {summary.Elapsed.TotalSeconds:F1} s ({summary.Files / Math.Max(summary.Elapsed.TotalSeconds, 1e-3):F1} images/s)");
        foreach (var skipped in summary.Skipped)
        {
            context.Console.MarkupLine($"[yellow]skipped[/] {Markup.Escape(skipped.Path)}: {Markup.Escape(skipped.Reason)}");
        }

        return 0;
    }

    public static Command CreateSearch(CliContext context)
    {
        var query = new Argument<string?>("query") { Description = "What to look for, in plain words", Arity = ArgumentArity.ZeroOrOne };
        var image = new Option<FileInfo?>("--image") { Description = "Search an image collection by example: the image file to look like" };
        var collection = CliOptions.Collection();
        var top = CliOptions.Top(5);
        var where = CliOptions.Where("Payload filter");
        var ef = new Option<int?>("--ef") { Description = "HNSW candidate-list size for this search (higher: better recall, slower)" }.AtLeast(1, "200");
        var exact = new Option<bool>("--exact") { Description = "Dense side by a full scan with exact scores instead of the HNSW graph (slower, never misses)" };
        var mode = new Option<SearchMode?>("--mode")
        {
            Description = "hybrid (embeddings and BM25, fused), dense (embeddings) or keyword (BM25). Default: hybrid when the collection has text, else dense",
        };
        var fusion = new Option<string>("--fusion") { Description = "Hybrid fusion: rrf (reciprocal rank) or weighted (min-max normalised scores)", DefaultValueFactory = _ => "rrf" };
        var weight = new Option<double>("--weight") { Description = "Weighted fusion: the keyword side's share, 0 to 1", DefaultValueFactory = _ => 0.5 }.Between(0, 1, "0.3");
        var rrfK = new Option<int>("--rrf-k") { Description = "Reciprocal rank fusion's k", DefaultValueFactory = _ => 60 }.AtLeast(0, "60");
        var candidates = new Option<int>("--candidates") { Description = "Candidates each side gives to fusion and MMR", DefaultValueFactory = _ => 100 }.AtLeast(1, "100");
        var mmr = new Option<double?>("--mmr") { Description = "Diversify with maximal marginal relevance, λ from 0 (diverse) to 1 (relevant)" }.Between(0, 1, "0.7");
        var threshold = new Option<float?>("--threshold") { Description = "Drop hits scoring below this (above it for Euclidean dense search)" };
        var command = new Command(
            "search",
            "Search a collection with a text query: hybrid by default (the query's embedding and its words by BM25, fused by " +
            "reciprocal rank, which beat either alone with both pretrained text models on CISI and Cranfield), dense or keyword. Each hit shows where it is " +
            "(file:lines, page, heading) and a snippet around the query's words.\n\n" +
            "Examples:\n  quiver search \"whale hunting at sea\" --collection corpus -k 5 --where path=moby-dick.part00.txt\n" +
            "  quiver search \"harpoon\" --collection corpus --mode hybrid --fusion weighted --weight 0.3 --mmr 0.7\n" +
            "  quiver search --image shoe.png --collection photos -k 5")
        {
            query, collection, top, where, ef, exact, image, mode, fusion, weight, rrfK, candidates, mmr, threshold,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var store = CollectionStore.FromPaths(context.Paths);
            using var target = store.Open(result.GetValue(collection)!);
            var searchMode = result.GetValue(mode) ?? DefaultMode(context, target, result.GetValue(image));
            var (text, vector, space, unknown) = searchMode == SearchMode.Keyword
                ? (result.GetValue(query) ?? string.Empty, null, null, [])
                : await QueryVectorAsync(context, target, result.GetValue(query), result.GetValue(image), cancellationToken);
            var hits = target.Search(new SearchRequest
            {
                Vector = vector,
                Text = searchMode == SearchMode.Dense ? null : text,
                Mode = searchMode,
                K = result.GetValue(top),
                Filter = CliOptions.Filter(result, where),
                Source = space,
                Ef = result.GetValue(ef),
                Exact = result.GetValue(exact),
                Fusion = ParseFusion(result.GetValue(fusion)!),
                KeywordWeight = result.GetValue(weight),
                RrfK = result.GetValue(rrfK),
                Candidates = result.GetValue(candidates),
                MmrLambda = result.GetValue(mmr),
                ScoreThreshold = result.GetValue(threshold),
            });

            // Snippets centre on the query's words when words took part in the ranking; a dense hit shows its start.
            var shown = hits.Select(h => (Hit: h, Location: SourceLocation.Of(h.Id, h.Payload), Snippet: h.Text is null ? null : Snippet.Of(h.Text, searchMode == SearchMode.Dense ? null : text))).ToList();
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Query = text,
                    Collection = target.Name,
                    Mode = searchMode,
                    UnknownWords = unknown,
                    Hits = shown.Select(s => new
                    {
                        s.Hit.Id,
                        s.Hit.Score,
                        Location = s.Location.Label,
                        s.Location.Path,
                        s.Location.FirstLine,
                        s.Location.LastLine,
                        s.Location.Page,
                        s.Location.Heading,
                        Snippet = s.Snippet?.Text,
                        s.Hit.Payload,
                        s.Hit.Text,
                    }),
                });
                return 0;
            }

            // A fused score (about 1/60 under RRF) is not a cosine: the column says which one it is.
            var scoreName = searchMode switch
            {
                SearchMode.Dense => target.Space.Metric.ToString().ToLowerInvariant(),
                SearchMode.Keyword => "bm25",
                _ => ParseFusion(result.GetValue(fusion)!) == FusionMethod.ReciprocalRank ? "rrf" : "fused",
            };
            var table = new Table().AddColumns("#", scoreName, "where", "snippet");
            for (var i = 0; i < shown.Count; i++)
            {
                var (hit, location, snippet) = shown[i];
                table.AddRow(
                    (i + 1).ToString(),
                    hit.Score.ToString("F3"),
                    Markup.Escape(location.Label),
                    hit.Text is null && hit.Payload?[DocumentPayload.Width] is { } width
                        ? Markup.Escape($"{width}x{hit.Payload![DocumentPayload.Height]} {hit.Payload![DocumentPayload.Format]} image")
                        : Highlighted(snippet));
            }

            context.Console.Write(table);
            if (unknown.Count > 0)
            {
                context.Console.MarkupLine($"[grey]unknown words ignored: {Markup.Escape(string.Join(", ", unknown))}[/]");
            }

            return 0;
        });
        return command;
    }

    // Hybrid when the collection has text to match words against; dense, with a note, for one that has none.
    private static SearchMode DefaultMode(CliContext context, Collection target, FileInfo? image)
    {
        if (image is not null)
        {
            return SearchMode.Dense;
        }

        if (target.HasKeywordText())
        {
            return SearchMode.Hybrid;
        }

        context.Note($"collection '{target.Name}' has no text for keyword search; searching by embeddings only (dense)");
        return SearchMode.Dense;
    }

    // The snippet as markup, the query's words in bold.
    private static string Highlighted(Snippet? snippet)
    {
        if (snippet is null)
        {
            return string.Empty;
        }

        var markup = new System.Text.StringBuilder();
        var at = 0;
        foreach (var (start, length) in snippet.Highlights)
        {
            markup.Append(Markup.Escape(snippet.Text[at..start])).Append("[bold]").Append(Markup.Escape(snippet.Text.Substring(start, length))).Append("[/]");
            at = start + length;
        }

        return markup.Append(Markup.Escape(snippet.Text[at..])).ToString();
    }

    public static Command CreateCollections(CliContext context)
    {
        var collections = new Command("collections", "List, inspect, re-embed and delete collections; give them aliases; snapshot and restore them.\n\nExample: quiver collections list");
        var list = new Command("list", "List collections with their model and size.\n\nExample: quiver collections list --json");
        list.SetAction(result =>
        {
            var store = CollectionStore.FromPaths(context.Paths);
            var infos = store.List().Select(name =>
            {
                using var c = store.Open(name);
                return c.Info();
            }).ToList();
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(infos.Select(Describe));
                return 0;
            }

            var table = new Table().AddColumns("collection", "points", "space", "size", "sequence", "aliases");
            foreach (var i in infos)
            {
                var aliases = string.Join(", ", store.Aliases.Of(i.Name).Select(a => a.AliasName));
                table.AddRow(Markup.Escape(i.Name), i.Count.ToString("N0"), Markup.Escape(i.Space.ToString()), $"{i.DatabaseBytes / 1048576.0:F1} MiB", i.Sequence.ToString(), Markup.Escape(aliases));
            }

            context.Console.Write(table);
            context.Console.MarkupLine($"[grey]collections folder: {Markup.Escape(store.Root)}[/]");
            return 0;
        });

        var name = new Argument<string>("name") { Description = "Collection name" };
        var delete = new Command("delete", "Delete a collection and its files.\n\nExample: quiver collections delete docs") { name };
        delete.SetAction(result =>
        {
            var collectionName = result.GetValue(name)!;
            var store = CollectionStore.FromPaths(context.Paths);
            if (store.Aliases.Target(collectionName) is { } target)
            {
                throw new Core.QuiverException(
                    $"'{collectionName}' is an alias of collection '{target}'. Delete the alias with quiver collections alias delete {collectionName}, or the collection with quiver collections delete {target}.");
            }

            if (!store.Delete(collectionName))
            {
                throw new Core.QuiverException($"There is no collection named '{collectionName}' to delete. See quiver collections list.");
            }

            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { Deleted = collectionName });
            }
            else
            {
                context.Console.MarkupLine($"[green]deleted[/] {Markup.Escape(collectionName)}");
            }

            return 0;
        });

        var collectionName = new Argument<string>("collection") { Description = "Collection name" };
        var field = new Argument<string>("field") { Description = "Payload field (dots for nested fields: meta.lang)" };
        var kind = new Option<PayloadIndexKind>("--type") { Description = "Keyword, Integer or Float", DefaultValueFactory = _ => PayloadIndexKind.Keyword };
        var indexField = new Command(
            "index-field",
            "Index a payload field in SQLite so filters on it stop scanning every payload (the field should hold one scalar per point).\n\n" +
            "Example: quiver collections index-field corpus path --type Keyword")
        {
            collectionName, field, kind,
        };
        indexField.SetAction(result =>
        {
            using var collection = CollectionStore.FromPaths(context.Paths).Open(result.GetValue(collectionName)!);
            collection.CreatePayloadIndex(result.GetValue(field)!, result.GetValue(kind));
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { Collection = collection.Name, PayloadIndexes = collection.PayloadIndexes });
            }
            else
            {
                context.Console.MarkupLine($"[green]indexed[/] payload field {Markup.Escape(result.GetValue(field)!)} of {Markup.Escape(collection.Name)}");
            }

            return 0;
        });

        collections.Subcommands.Add(list);
        collections.Subcommands.Add(delete);
        collections.Subcommands.Add(indexField);
        collections.Subcommands.Add(AliasCommands.Create(context));
        collections.Subcommands.Add(SnapshotCommands.CreateSnapshot(context));
        collections.Subcommands.Add(SnapshotCommands.CreateRestore(context));
        collections.Subcommands.Add(ReembedCommand.Create(context));
        return collections;
    }

    public static Command CreateInspect(CliContext context)
    {
        var name = new Argument<string>("collection") { Description = "Collection name" };
        var command = new Command(
            "inspect",
            "Show a collection's files, counts, index state, memory per vector and sequence numbers.\n\nExample: quiver inspect corpus --json")
        {
            name,
        };
        command.SetAction(result =>
        {
            using var collection = CollectionStore.FromPaths(context.Paths).Open(result.GetValue(name)!);
            var info = collection.Info();
            var index = collection.InspectIndex();
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { Collection = Describe(info), Index = index, IndexOptions = collection.IndexOptions, collection.PayloadIndexes, collection.DatabasePath, collection.SnapshotPath });
                return 0;
            }

            var table = new Table().AddColumns("property", "value").HideHeaders();
            void Row(string key, string value) => table.AddRow(Markup.Escape(key), Markup.Escape(value));
            Row("collection", info.Name);
            Row("space", info.Space.ToString());
            Row("prompts", info.Space.DocumentPrompt is null && info.Space.QueryPrompt is null
                ? "none"
                : $"documents: {Quote(info.Space.DocumentPrompt)}, queries: {Quote(info.Space.QueryPrompt)}");
            Row("points", info.Count.ToString("N0"));
            Row("database", $"{collection.DatabasePath} ({info.DatabaseBytes / 1048576.0:F1} MiB, sequence {index.DatabaseSequence})");
            Row("index", $"{index.Kind} (M={collection.IndexOptions.Hnsw.M}, efConstruction={collection.IndexOptions.Hnsw.EfConstruction}, efSearch={collection.IndexOptions.Hnsw.EfSearch}, exact below {collection.IndexOptions.ExactThreshold:N0} points)");
            Row("search", index.GraphInUse ? $"HNSW graph, {index.MaxLevel + 1} levels" : "exact scan");
            Row("nodes", $"{index.Nodes:N0} ({index.LivePoints:N0} live, {index.Tombstones:N0} tombstones, {index.LinkedNodes:N0} linked)");
            Row("memory", $"{index.MemoryBytes / 1048576.0:F1} MiB, {index.BytesPerVector:N0} bytes per vector");
            Row("quantisation", index.Quantization == QuantizationKind.None
                ? $"none ({collection.IndexOptions.Quantization} configured)"
                : $"{index.Quantization} codes, {index.CodeBytesPerVector:N0} bytes per vector, {collection.IndexOptions.Oversampling}x oversampling, rescored from float32");
            Row("payload indexes", collection.PayloadIndexes.Count == 0 ? "none" : string.Join(", ", collection.PayloadIndexes.Select(p => $"{p.Key} ({p.Value})")));
            Row("index sequence", index.IndexSequence.ToString());
            Row("snapshot", index.SnapshotBytes > 0 ? $"{collection.SnapshotPath} ({index.SnapshotBytes / 1048576.0:F1} MiB, sequence {index.SnapshotSequence})" : "none");
            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static object Describe(CollectionInfo i) => new
    {
        i.Name,
        i.Count,
        Model = i.Space.ModelId,
        i.Space.Revision,
        i.Space.Dimensions,
        Metric = i.Space.Metric.ToString().ToLowerInvariant(),
        i.Space.DocumentPrompt,
        i.Space.QueryPrompt,
        i.Sequence,
        i.DatabaseBytes,
        i.CreatedAt,
        i.Path,
    };

    // A text query for a text collection, an image file for an image collection; a mix-up is refused with both named.
    private static async Task<(string Query, float[] Vector, EmbeddingSpace Space, IReadOnlyList<string> Unknown)> QueryVectorAsync(
        CliContext context, Collection target, string? text, FileInfo? image, CancellationToken cancellationToken)
    {
        if (target.Space.Model.IsImage)
        {
            if (image is null)
            {
                throw new Core.QuiverException($"Collection '{target.Name}' holds image vectors ({target.Space}); search it by example with --image <file>.");
            }

            if (!image.Exists)
            {
                throw new Core.QuiverException($"The image file '{image.FullName}' does not exist.");
            }

            using var images = CollectionEncoders.OpenImage(context.Paths, target.Name, target.Space);
            var content = new DataContent(await File.ReadAllBytesAsync(image.FullName, cancellationToken), "application/octet-stream") { Name = image.FullName };
            return (image.FullName, (await images.GenerateAsync([content], cancellationToken: cancellationToken))[0].Vector.ToArray(), images.Space, []);
        }

        if (image is not null)
        {
            throw new Core.QuiverException($"Collection '{target.Name}' holds text vectors ({target.Space}); --image searches image collections. Give a text query instead.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new Core.QuiverException("Give a text query (quiver search \"...\" --collection NAME), or --image <file> for an image collection.");
        }

        using var generator = QueryGeneratorFor(context, target);
        var space = generator.GetService<EmbeddingSpace>()!;
        var encoder = generator.GetService<ITextEncoder>()!;
        var encoded = (await encoder.EncodeAsync([text], cancellationToken: cancellationToken))[0];

        // Word-vector models say which query words they did not know, so a user can rephrase.
        return (text, encoded.Vector, space, encoded.UnknownWords);
    }

    // Queries get the query prompt the collection recorded when it was made (none when it recorded none), so a
    // collection keeps being searched the way its vectors were meant to be.
    internal static IEmbeddingGenerator<string, Embedding<float>> QueryGeneratorFor(CliContext context, Collection collection) =>
        CollectionEncoders.OpenText(context.Paths, collection.Name, collection.Space, TextRole.Query);

    /// <summary>A transformer counts with its own tokenizer and limit; word vectors have no limit, so chunks hold 256 words.</summary>
    internal static Core.Text.ITokenCounter TokenCounterFor(IEmbeddingGenerator<string, Embedding<float>> generator) =>
        Models.Tokenization.EncoderTokenCounter.For(generator);

    /// <summary>The CLI's names for the fusion methods: rrf and weighted.</summary>
    internal static FusionMethod ParseFusion(string name) => name.ToLowerInvariant() switch
    {
        "rrf" or "reciprocal-rank" => FusionMethod.ReciprocalRank,
        "weighted" or "weighted-sum" => FusionMethod.WeightedSum,
        _ => throw new Core.QuiverException($"'{name}' is not a fusion method; use rrf (reciprocal rank fusion) or weighted (weighted sum of normalised scores)."),
    };

    private static string Quote(string? prompt) => prompt is null ? "none" : $"\"{prompt}\"";
}
