using System.Diagnostics.Metrics;

namespace Quiver.Server.Operations;

/// <summary>The server's own instruments on the "Quiver.Server" meter (ASP.NET Core's request metrics come on top).</summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Quiver.Server";

    private readonly Meter _meter = new(MeterName);

    public ServerMetrics()
    {
        BatchInputs = _meter.CreateHistogram<int>("quiver.embedding.batch.inputs", "{input}", "Inputs per model call of the embedding batcher",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        BatchRequests = _meter.CreateHistogram<int>("quiver.embedding.batch.requests", "{request}", "Requests merged into one model call",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        Tokens = _meter.CreateCounter<long>("quiver.embedding.tokens", "{token}", "Tokens embedded");
        Inputs = _meter.CreateCounter<long>("quiver.embedding.inputs", "{input}", "Inputs embedded");
        Rejected = _meter.CreateCounter<long>("quiver.server.rejected", "{request}", "Requests refused with 429 because the queue was full");
        ModelDuration = _meter.CreateHistogram<double>("quiver.embedding.model.duration", "s", "Seconds per model call of the embedding batcher (its sum over wall time is the model's utilisation)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    public Histogram<int> BatchInputs { get; }

    public Histogram<int> BatchRequests { get; }

    public Counter<long> Tokens { get; }

    public Counter<long> Inputs { get; }

    public Counter<long> Rejected { get; }

    public Histogram<double> ModelDuration { get; }

    public void Observe<T>(string name, string unit, string description, Func<IEnumerable<Measurement<T>>> observe)
        where T : struct => _meter.CreateObservableGauge(name, observe, unit, description);

    public void Dispose() => _meter.Dispose();
}
