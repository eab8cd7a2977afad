using Quiver.Cli.Commands;
using Quiver.Ingestion;

namespace Quiver.Cli.Tests;

public sealed class IndexProgressReportTests
{
    [Fact]
    public void Redirected_progress_is_a_line_every_interval_with_rate_and_time_left()
    {
        var now = TimeSpan.Zero;
        var lines = new List<string>();
        var report = new IndexProgressReport(TimeSpan.FromSeconds(5), () => now, lines.Add);

        // A report every second for 12 seconds, 1 MB and 10 chunks a second out of 20 MB: lines at 5 and 10 seconds.
        for (var second = 1; second <= 12; second++)
        {
            now = TimeSpan.FromSeconds(second);
            report.Report(new IndexProgress(0, 3, 10 * second, 1_000_000L * second, "big.txt", 20_000_000));
        }

        Assert.Equal(2, lines.Count);
        Assert.Equal("5.0/20.0 MB · 0/3 files · 50 chunks · 10.0 chunks/s · 1000.0 kB/s · 00:15 left", lines[0]);
        Assert.EndsWith("10.0 chunks/s · 1000.0 kB/s · 00:10 left", lines[1], StringComparison.Ordinal);
    }
}
