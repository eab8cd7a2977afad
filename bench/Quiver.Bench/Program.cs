using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Quiver.Bench;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;
using Quiver.Store.Index.Quantization;

// Quiver's side of the ANN benchmark (bench/ann.sh runs it and the hnswlib-node peer in the same run).
// Usage: Quiver.Bench hnsw --dataset glove|fashion [--data ../shared/data] [--cache bench/.cache] [--m 16] [--efc 200]
//        [--threads 2] [--ef 10,20,40,80,160,320] [--k 10]
var options = Args.Parse(args);
if (args.Length > 0 && args[0] == "quant")
{
    Quantized.Run(options);
    return;
}

switch (args.Length > 0 ? args[0] : string.Empty)
{
    case "encoder-model": Encoder.WriteModel(options); return;
    case "encoder": Encoder.Run(options); return;
    case "encoder-compare": Encoder.Compare(options); return;
    case "encoder-memory": Encoder.Memory(options); return;
    case "gemm": Encoder.Gemm(options); return;
    case "transformersjs-folder": PeerFolder.WriteTransformersJs(options); return;
    case "retrieval-texts": PeerFolder.WriteRetrievalTexts(options); return;
    case "static": Encoder.Static(options); return;
    case "sts-from-vectors": Encoder.StsFromVectors(options); return;
    case "use-parity": UseParity.Run(options); return;
    case "image-embed": Images.Embed(options); return;
    case "vectors-compare": Images.Compare(options); return;
    case "reindex": Reindex.Run(options); return;
    case "reembed": Reembedding.Run(options); return;
    case "typos": Typos.Run(options); return;
    case "near-duplicates": NearDuplicateRecall.Run(options); return;
    case "export-fixture": ExportFixture.Run(options); return;
    case "hostile": Environment.ExitCode = Hostile.Run(options); return;
    case "crash-http": Environment.ExitCode = CrashHttp.Run(options); return;
    case "grpc": GrpcVsRest.Run(options); return;
}

if (args.Length > 0 && args[0] == "collection-filter")
{
    CollectionFiltered.Run(options);
    return;
}

var dataset = AnnDataset.Load(options);

var m = int.Parse(options.Get("m", "16"), CultureInfo.InvariantCulture);
var efc = int.Parse(options.Get("efc", "200"), CultureInfo.InvariantCulture);
var threads = int.Parse(options.Get("threads", "2"), CultureInfo.InvariantCulture);
var k = int.Parse(options.Get("k", "10"), CultureInfo.InvariantCulture);
var efs = options.Get("ef", "10,20,40,80,120,200,400").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

// --quantization int8|binary walks the graph on codes and rescores k·oversampling candidates (at least ef) exactly.
var quantization = Enum.Parse<QuantizationKind>(options.Get("quantization", "none"), ignoreCase: true);

// ExactThreshold 0: the graph answers every search, whatever the dataset's size (as hnswlib does).
var indexOptions = new IndexOptions
{
    Hnsw = new HnswParameters(m, efc),
    BuildThreads = threads,
    ExactThreshold = 0,
    Quantization = quantization,
    Oversampling = int.Parse(options.Get("oversampling", "4"), CultureInfo.InvariantCulture),
};

GC.Collect();
var before = GC.GetTotalMemory(forceFullCollection: true);
var clock = Stopwatch.StartNew();
VectorIndex? index = null;

// --graph-cache FILE reuses a graph saved by an earlier run (for iterating on search speed; build time is then 0).
var graphCache = options.Get("graph-cache", string.Empty);
if (graphCache.Length > 0 && File.Exists(graphCache))
{
    try
    {
        index = VectorIndex.Load(graphCache, indexOptions);
    }
    catch (QuiverException e)
    {
        Console.Error.WriteLine($"› graph cache not used: {e.Message}");
    }
}

if (index is null)
{
    index = VectorIndex.Build(dataset.Base, dataset.Dimensions, dataset.Metric, indexOptions);
    if (graphCache.Length > 0)
    {
        index.Save(graphCache);
    }
}

var buildSeconds = clock.Elapsed.TotalSeconds;
var indexBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
Console.Error.WriteLine($"› quiver built {dataset.BaseCount:N0} x {dataset.Dimensions} in {buildSeconds:F1} s on {threads} threads, {indexBytes / 1048576.0:F0} MiB");

var d = dataset.Dimensions;
var query = new float[d];
var sweep = new List<object>();

List<int> Find(float[] q, int ef) => index.Search(q, k, ef).Select(h => h.Id).ToList();
foreach (var ef in efs)
{
    // One warm-up pass over a few queries, then the timed single-threaded pass over all of them.
    for (var i = 0; i < Math.Min(200, dataset.QueryCount); i++)
    {
        Find(Prepare(dataset, i, query), ef);
    }

    double recall = 0;
    for (var i = 0; i < dataset.QueryCount; i++)
    {
        recall += dataset.Recall(i, Find(Prepare(dataset, i, query), ef), k);
    }

    // Timed passes (search only, as the peer does) until at least a second has passed, so small query sets time well.
    var searched = 0;
    clock.Restart();
    do
    {
        for (var i = 0; i < dataset.QueryCount; i++)
        {
            Find(Prepare(dataset, i, query), ef);
        }

        searched += dataset.QueryCount;
    }
    while (clock.Elapsed.TotalSeconds < 1);

    var seconds = clock.Elapsed.TotalSeconds;
    var row = new { ef, recall = recall / dataset.QueryCount, qps = searched / seconds };
    sweep.Add(row);
    Console.Error.WriteLine($"  ef {ef,4}: recall@{k} {row.recall:F4}  {row.qps,9:N0} q/s");
}

// Filtered search runs at the ef where unfiltered recall@10 reaches about 0.95 on glove-100 (--filter-ef).
var filtered = options.Get("filtered", "false") == "true"
    ? Filtered.Run(dataset, index, k, int.Parse(options.Get("filter-ef", "200"), CultureInfo.InvariantCulture))
    : null;

Console.WriteLine(JsonSerializer.Serialize(new
{
    engine = quantization == QuantizationKind.None ? "quiver" : $"quiver-{quantization.ToString().ToLowerInvariant()}",
    dataset = dataset.Name,
    n = dataset.BaseCount,
    dimensions = d,
    m,
    ef_construction = efc,
    threads,
    build_seconds = buildSeconds,
    index_bytes = indexBytes,
    peak_working_set_bytes = Process.GetCurrentProcess().PeakWorkingSet64,
    sweep,
    filtered,
}));

static float[] Prepare(AnnDataset dataset, int i, float[] buffer)
{
    dataset.Queries.AsSpan(i * dataset.Dimensions, dataset.Dimensions).CopyTo(buffer);
    if (dataset.Metric == DistanceMetric.Cosine)
    {
        VectorMath.Normalize(buffer);
    }

    return buffer;
}
