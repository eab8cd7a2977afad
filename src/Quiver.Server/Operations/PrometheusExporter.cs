using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Quiver.Server.Operations;

/// <summary>
/// Collects measurements of the chosen meters with a <see cref="MeterListener"/> and renders them in the Prometheus
/// text exposition format: counters as <c>_total</c>, histograms as cumulative <c>_bucket</c>/<c>_sum</c>/<c>_count</c>,
/// gauges (observable instruments are read at each scrape) as their last value. Names get Prometheus' form: dots
/// become underscores and the unit is appended ("s" → "_seconds").
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] DefaultSecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] DefaultBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();
    private readonly HashSet<string> _meters;
    private readonly Lock _scrape = new();

    public PrometheusExporter(IEnumerable<string> meters)
    {
        _meters = new HashSet<string>(meters, StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Contains(instrument.Meter.Name))
            {
                _series[instrument] = new Series(instrument, BucketsOf(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string Render()
    {
        lock (_scrape)
        {
            return RenderLocked();
        }
    }

    private string RenderLocked()
    {
        foreach (var series in _series.Values)
        {
            series.ResetObserved();
        }

        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var series in _series.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            series.Render(text);
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    private static double[]? BucketsOf(Instrument instrument)
    {
        if (instrument is Histogram<int> { Advice.HistogramBucketBoundaries: { } ints })
        {
            return [.. ints.Select(b => (double)b)];
        }

        if (instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } doubles })
        {
            return [.. doubles];
        }

        if (instrument is Histogram<long> { Advice.HistogramBucketBoundaries: { } longs })
        {
            return [.. longs.Select(b => (double)b)];
        }

        return instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>)
            ? instrument.Unit == "s" ? DefaultSecondsBuckets : DefaultBuckets
            : null;
    }

    private sealed class Series(Instrument instrument, double[]? buckets)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, Cell> _cells = new(StringComparer.Ordinal);

        private readonly string _kind = buckets is not null ? "histogram"
            : instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal) || instrument.GetType().Name.StartsWith("ObservableCounter", StringComparison.Ordinal) ? "counter"
            : "gauge";

        // Counters and up-down counters add their measurements; observable instruments and gauges report a current value.
        private readonly bool _accumulates = !instrument.IsObservable && (instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal) || instrument.GetType().Name.StartsWith("UpDownCounter", StringComparison.Ordinal));

        public string Name { get; } = PrometheusName(instrument);

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            lock (_gate)
            {
                if (!_cells.TryGetValue(labels, out var cell))
                {
                    cell = new Cell(buckets is null ? null : new long[buckets.Length]);
                    _cells[labels] = cell;
                }

                if (buckets is not null)
                {
                    var slot = Array.BinarySearch(buckets, value);
                    slot = slot >= 0 ? slot : ~slot;
                    if (slot < buckets.Length)
                    {
                        cell.Buckets![slot]++;
                    }

                    cell.Sum += value;
                    cell.Count++;
                }
                else if (_accumulates)
                {
                    cell.Sum += value;
                }
                else
                {
                    cell.Sum = value;
                }
            }
        }

        /// <summary>Forgets the values of an observable instrument before it is read again, so a series that went away (a deleted collection) is not reported.</summary>
        public void ResetObserved()
        {
            if (instrument.IsObservable)
            {
                lock (_gate)
                {
                    _cells.Clear();
                }
            }
        }

        public void Render(StringBuilder text)
        {
            lock (_gate)
            {
                if (_cells.Count == 0)
                {
                    return;
                }

                var name = _kind == "counter" ? Name + "_total" : Name;
                if (!string.IsNullOrEmpty(instrument.Description))
                {
                    text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
                }

                text.Append("# TYPE ").Append(name).Append(' ').Append(_kind).Append('\n');
                foreach (var (labels, cell) in _cells.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    if (buckets is null)
                    {
                        text.Append(name).Append(Braces(labels)).Append(' ').Append(Format(cell.Sum)).Append('\n');
                        continue;
                    }

                    long cumulative = 0;
                    for (var b = 0; b < buckets.Length; b++)
                    {
                        cumulative += cell.Buckets![b];
                        text.Append(Name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Format(buckets[b])}\""))).Append(' ').Append(cumulative).Append('\n');
                    }

                    text.Append(Name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(cell.Count).Append('\n');
                    text.Append(Name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Format(cell.Sum)).Append('\n');
                    text.Append(Name).Append("_count").Append(Braces(labels)).Append(' ').Append(cell.Count).Append('\n');
                }
            }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Braces(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return string.Empty;
            }

            var pairs = new List<string>(tags.Length);
            foreach (var (key, value) in tags)
            {
                var escaped = Convert.ToString(value, CultureInfo.InvariantCulture)?
                    .Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
                pairs.Add($"{Sanitize(key)}=\"{escaped}\"");
            }

            pairs.Sort(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }

        private static string Format(double value) =>
            double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

        private sealed class Cell(long[]? buckets)
        {
            public long[]? Buckets { get; } = buckets;

            public double Sum { get; set; }

            public long Count { get; set; }
        }
    }

    internal static string PrometheusName(Instrument instrument)
    {
        var name = Sanitize(instrument.Name);
        var unit = instrument.Unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            null or "" => null,
            var u when u.StartsWith('{') => null,
            var u => Sanitize(u),
        };
        return unit is null || name.EndsWith("_" + unit, StringComparison.Ordinal) ? name : name + "_" + unit;
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_' || chars[i] == ':'))
            {
                chars[i] = '_';
            }
        }

        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }
}
