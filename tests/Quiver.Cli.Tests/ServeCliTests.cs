using System.Net;
using System.Net.Sockets;
using Quiver.Cli.Commands;
using Quiver.Core;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver serve</c>'s address: --urls, --port, QUIVER_PORT, and a port another program holds.</summary>
public sealed class ServeCliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Theory]
    [InlineData(null, null, null, "http://127.0.0.1:6333")]
    [InlineData(null, 7000, null, "http://127.0.0.1:7000")]
    [InlineData(null, null, "7001", "http://127.0.0.1:7001")]
    [InlineData(null, 7000, "7001", "http://127.0.0.1:7000")]
    [InlineData("http://0.0.0.0:9000", null, "7001", "http://0.0.0.0:9000")]
    [InlineData(null, null, " ", "http://127.0.0.1:6333")]
    public void Urls_come_from_urls_then_port_then_quiver_port(string? urls, int? port, string? environment, string expected) =>
        Assert.Equal(expected, ServeCommand.ListenUrls(urls, port, environment));

    [Theory]
    [InlineData("http://127.0.0.1:6333", null, false, "http://127.0.0.1:6334")]
    [InlineData("http://0.0.0.0:9000;http://[::1]:9005", null, false, "http://0.0.0.0:9001")]
    [InlineData("https://127.0.0.1:0", null, false, "https://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:6333", 7334, false, "http://127.0.0.1:7334")]
    [InlineData("http://127.0.0.1:6333", null, true, null)]
    public void Grpc_listens_on_the_first_urls_host_at_the_next_port_unless_told(string urls, int? grpcPort, bool noGrpc, string? expected) =>
        Assert.Equal(expected, ServeCommand.GrpcUrl(urls, grpcPort, noGrpc));

    [Fact]
    public void Grpc_port_and_no_grpc_together_or_no_room_for_the_next_port_are_refused_with_the_fix()
    {
        var e = Assert.Throws<QuiverException>(() => ServeCommand.GrpcUrl("http://127.0.0.1:6333", 7000, noGrpc: true));
        Assert.Contains("--grpc-port or --no-grpc, not both", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<QuiverException>(() => ServeCommand.GrpcUrl("http://127.0.0.1:65535", null, noGrpc: false));
        Assert.Contains("give --grpc-port N, or --no-grpc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Port_and_urls_together_or_a_bad_quiver_port_are_refused_with_the_fix()
    {
        var e = Assert.Throws<QuiverException>(() => ServeCommand.ListenUrls("http://0.0.0.0:9000", 7000, null));
        Assert.Contains("--port or --urls, not both", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<QuiverException>(() => ServeCommand.ListenUrls(null, null, "abc"));
        Assert.Contains("QUIVER_PORT is 'abc'", e.Message, StringComparison.Ordinal);
        Assert.Throws<QuiverException>(() => ServeCommand.ListenUrls(null, null, "70000"));
        Assert.Throws<QuiverException>(() => ServeCommand.ListenUrls(null, null, "-1"));
    }

    [Fact]
    public void Cluster_options_need_cluster_and_redis_and_default_the_silo_name()
    {
        Assert.Null(ServeCommand.ClusterOf(false, null, null, 11111, 30000, "quiver", "/data"));
        var e = Assert.Throws<QuiverException>(() => ServeCommand.ClusterOf(false, "127.0.0.1:6379", null, 11111, 30000, "quiver", "/data"));
        Assert.Contains("add --cluster", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<QuiverException>(() => ServeCommand.ClusterOf(true, null, null, 11111, 30000, "quiver", "/data"));
        Assert.Contains("--cluster needs --redis HOST:PORT", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<QuiverException>(() => ServeCommand.ClusterOf(true, "127.0.0.1:6379", null, 11111, 11111, "quiver", "/data"));
        Assert.Contains("different ports", e.Message, StringComparison.Ordinal);

        var silo = ServeCommand.ClusterOf(true, "127.0.0.1:6379", null, 11112, 30002, "qa", "/data")!;
        Assert.Equal(new Quiver.Cluster.ClusterHostOptions("silo-11112", 11112, 30002, "127.0.0.1:6379", "/data", "qa"), silo);
    }

    [Fact]
    public void A_taken_port_is_one_line_naming_it_and_the_way_out_with_exit_code_3()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (code, output, error) = fixture.Run("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ServeCommand.AddressInUseExitCode, code);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains($"http://127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("--port N", line, StringComparison.Ordinal);
        Assert.Contains("QUIVER_PORT=N", line, StringComparison.Ordinal);

        (code, _, error) = fixture.Run("serve", "--port", "1", "--urls", "http://127.0.0.1:2");
        Assert.Equal(1, code);
        Assert.Contains("not both", error, StringComparison.Ordinal);
    }
}
