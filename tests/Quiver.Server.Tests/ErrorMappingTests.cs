using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Qdrant.Client.Grpc;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Server.Http;
using Quiver.Store.Collections;

namespace Quiver.Server.Tests;

/// <summary>
/// The status each kind of failure gets: a caller's mistake that only a library's options record catches is a 4xx;
/// damage to a file the server keeps is a 5xx (DataLoss over gRPC) whose JSON names the file from $QUIVER_HOME;
/// anything unexpected is a logged 500 with a JSON body.
/// </summary>
public sealed class ErrorMappingTests
{
    [Fact]
    public async Task An_HNSW_setting_the_index_refuses_is_a_400_naming_the_value_not_a_500()
    {
        await using var server = new ServerFixture();

        // Both values pass the route's own ranges; only HNSW's rule that efConstruction is at least M refuses them.
        var (status, body) = await server.Put("/collections/docs", new { vectors = new { size = 2, distance = "Dot" }, hnsw_config = new { m = 32, ef_construct = 8 } });

        Assert.True(status == 400, body?.ToJsonString());
        var message = body!["status"]!["error"]!.GetValue<string>();
        Assert.Contains("efConstruction is 8", message, StringComparison.Ordinal);
        Assert.Contains("at least M (32)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_HNSW_setting_the_index_refuses_is_InvalidArgument_over_gRPC()
    {
        await using var grpc = new GrpcServer();

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client().CreateCollectionAsync(
            "docs", new VectorParams { Size = 2, Distance = Distance.Dot }, hnswConfig: new HnswConfigDiff { M = 32, EfConstruct = 8 }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("efConstruction is 8", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_model_manifest_is_a_500_in_OpenAIs_shape_naming_the_file_by_role()
    {
        await using var server = new ServerFixture();
        await File.WriteAllTextAsync(Path.Combine(server.Paths.Models, "words", "model.json"), "{ \"name\": \"words\", ");

        var (status, body) = await server.Post("/v1/embeddings", new { model = "words", input = "the whale" });

        Assert.True(status == 500, body?.ToJsonString());
        var error = body!["error"]!;
        Assert.Equal("server_error", error["type"]!.GetValue<string>());
        Assert.Equal("stored_data_damaged", error["code"]!.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        Assert.Contains("$QUIVER_HOME/models/words/model.json", message, StringComparison.Ordinal);
        Assert.Contains("Reinstall the model with --force", message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Root, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_collection_database_is_a_500_in_Qdrants_shape_and_DataLoss_over_gRPC()
    {
        await using var grpc = new GrpcServer();
        var server = grpc.Server;
        Damage(server.Paths, "broken");

        var (status, body) = await server.Get("/collections/broken");

        Assert.True(status == 500, body?.ToJsonString());
        var message = body!["status"]!["error"]!.GetValue<string>();
        Assert.Contains("$QUIVER_HOME/collections/broken", message, StringComparison.Ordinal);
        Assert.Contains("Restore the collection from a snapshot", message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Root, message, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client().CountAsync("broken"));
        Assert.Equal(StatusCode.DataLoss, error.StatusCode);
        Assert.Contains("$QUIVER_HOME/collections/broken", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/embeddings")]
    [InlineData("/collections/docs/points/search")]
    public async Task An_unexpected_failure_is_a_logged_500_with_a_JSON_body(string path)
    {
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var options = new ServerOptions { Paths = new QuiverPaths(Path.Combine(Path.GetTempPath(), "quiver-unused-home")) };

        // A null argument from Quiver's own code is a bug, not the caller's mistake: it must not read as a 400.
        var handling = new ErrorHandling(_ => throw new ArgumentNullException("space"), options, factory.CreateLogger<ErrorHandling>());
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();

        await handling.InvokeAsync(context);

        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        var body = JsonNode.Parse(context.Response.Body)!;
        var message = path.StartsWith("/v1/", StringComparison.Ordinal) ? body["error"]!["message"]! : body["status"]!["error"]!;
        Assert.Contains("the error is in its log", message.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception is ArgumentNullException);
    }

    [Fact]
    public void Damaged_files_are_500s_but_a_model_folder_outside_the_store_is_the_callers_input()
    {
        var options = new ServerOptions { Paths = new QuiverPaths("/srv/quiver-home") };

        Assert.Equal(500, ErrorHandling.Classify(new StoredDataException("/elsewhere/cache.db", "/elsewhere/cache.db is damaged."), options).Status);
        Assert.Equal(500, ErrorHandling.Classify(new Models.Onnx.ModelFolderException("/srv/quiver-home/models/bert/model.onnx", "damaged."), options).Status);
        Assert.Equal(400, ErrorHandling.Classify(new Models.Onnx.ModelFolderException("/home/me/exports/bert/model.onnx", "no graph."), options).Status);
    }

    // A collection made beside the running server (so it is not open yet) whose metadata no longer parses.
    private static void Damage(QuiverPaths paths, string name)
    {
        CollectionStore.FromPaths(paths).Create(name, new CollectionOptions(EmbeddingSpace.Raw(2, DistanceMetric.Dot))).Dispose();
        var database = Directory.EnumerateFiles(Path.Combine(paths.Collections, name), "collection.db", SearchOption.AllDirectories).Single();
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE meta SET value = 'two' WHERE key = 'dimensions'";
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
