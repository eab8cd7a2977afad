using Quiver.Ingestion;

namespace Quiver.Cli.Commands;

/// <summary>
/// What <c>quiver index</c> says about its progress: megabytes and files done, chunks, chunks/s, kB/s and the time left
/// at the rate so far. In a terminal the line is a live progress bar's description; redirected (a log, CI) it is
/// written as a line of its own at most every <paramref name="interval"/>, so logs show progress without flooding.
/// </summary>
internal sealed class IndexProgressReport(TimeSpan interval, Func<TimeSpan> clock, Action<string> write)
{
    private TimeSpan _lastWritten = TimeSpan.Zero;

    /// <summary>Writes the line when <paramref name="interval"/> has passed since the last one (or since the start).</summary>
    public void Report(IndexProgress progress)
    {
        var now = clock();
        if (now - _lastWritten >= interval)
        {
            _lastWritten = now;
            write(Describe(progress, now));
        }
    }

    public static string Describe(IndexProgress p, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-3);
        var megabytes = p.Bytes / 1e6;
        var line = $"{megabytes:F1}/{p.BytesTotal / 1e6:F1} MB · {p.FilesDone}/{p.FilesTotal} files · {p.Chunks:N0} chunks · " +
            $"{p.Chunks / seconds:N1} chunks/s · {p.Bytes / 1e3 / seconds:F1} kB/s";

        // The time left at the average byte rate so far; none until some bytes are done.
        if (p.Bytes > 0 && p.BytesTotal >= p.Bytes)
        {
            var left = TimeSpan.FromSeconds(Math.Round((p.BytesTotal - p.Bytes) * seconds / p.Bytes));
            line += $" · {(left.TotalHours >= 1 ? $"{(int)left.TotalHours}:{left:mm\\:ss}" : left.ToString("mm\\:ss"))} left";
        }

        return line;
    }
}
