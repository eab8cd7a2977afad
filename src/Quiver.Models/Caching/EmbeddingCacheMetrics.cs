using System.Diagnostics.Metrics;

namespace Quiver.Models.Caching;

/// <summary>The cache's instruments on the "Quiver.Models" meter, tagged with the model id, for a host to export.</summary>
internal static class EmbeddingCacheMetrics
{
    public const string MeterName = "Quiver.Models";
    public const string ModelTag = "quiver.model_id";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Hits = Meter.CreateCounter<long>(
        "quiver.embedding_cache.hits", "{embedding}", "Inputs answered without running the model.");

    public static readonly Counter<long> Misses = Meter.CreateCounter<long>(
        "quiver.embedding_cache.misses", "{embedding}", "Distinct inputs the model had to embed.");

    public static readonly Counter<long> DiskErrors = Meter.CreateCounter<long>(
        "quiver.embedding_cache.disk_errors", "{error}", "Disk store reads or writes that failed and were skipped.");
}
