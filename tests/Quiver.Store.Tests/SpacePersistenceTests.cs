using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;

namespace Quiver.Store.Tests;

/// <summary>
/// A collection stores its space's model as the string "name/variant" (what every Quiver so far wrote and reads): the
/// typed model goes to disk in that form and comes back equal, and collections written in it open unchanged.
/// </summary>
public sealed class SpacePersistenceTests : IDisposable
{
    private static readonly EmbeddingSpace Space =
        new(new ModelReference("minilm", "cls", "0123456789abcdef"), 4, DistanceMetric.Cosine, Normalized: true)
        {
            DocumentPrompt = "passage: ",
            QueryPrompt = "query: ",
        };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CollectionStore Store() => new(_folder.Path);

    [Fact]
    public void The_model_is_written_in_its_string_form_and_reads_back_as_the_same_space()
    {
        string database;
        using (var collection = Store().Create("docs", new CollectionOptions(Space)))
        {
            collection.Upsert([new Point("a", [1, 0, 0, 0])], Space);
            database = collection.DatabasePath;
        }

        Assert.Equal("minilm/cls", Meta(database, "model_id"));
        Assert.Equal("0123456789abcdef", Meta(database, "revision"));

        using var reopened = Store().Open("docs");
        Assert.Equal(Space, reopened.Space);
        Assert.Equal(new ModelReference("minilm", "cls", "0123456789abcdef"), reopened.Space.Model);
        Assert.Equal("passage: ", reopened.Space.DocumentPrompt);
        Assert.Equal("query: ", reopened.Space.QueryPrompt);
        Assert.Equal(1, reopened.Count());
    }

    [Theory]
    [InlineData("glove-100/sif", "glove-100", "sif")]
    [InlineData("mobilenet-v2/image", "mobilenet-v2", "image")]
    [InlineData("far", "far", null)]
    public void A_collection_written_with_the_string_form_opens_with_its_typed_model(string stored, string name, string? variant)
    {
        var database = CreateThenSet("old", stored);

        using var opened = Store().Open("old");
        Assert.Equal(new ModelReference(name, variant, "0123456789abcdef"), opened.Space.Model);
        Assert.Equal(stored, opened.Space.ModelId);
        Assert.Equal(stored, Meta(database, "model_id"));
    }

    [Fact]
    public void A_raw_collection_stays_raw()
    {
        using (Store().Create("raw", new CollectionOptions(EmbeddingSpace.Raw(4, DistanceMetric.Dot))))
        {
        }

        using var opened = Store().Open("raw");
        Assert.True(opened.Space.IsRaw);
        Assert.Equal(EmbeddingSpace.Raw(4, DistanceMetric.Dot), opened.Space);
    }

    [Fact]
    public void A_stored_model_id_that_names_no_model_is_damaged_metadata_naming_the_file()
    {
        var database = CreateThenSet("broken", "/cls");

        var e = Assert.Throws<StoredDataException>(() => Store().Open("broken"));
        Assert.Equal(database, e.Path);
        Assert.Contains(database, e.Message, StringComparison.Ordinal);
        Assert.Contains("'/cls'", e.Message, StringComparison.Ordinal);
    }

    private string CreateThenSet(string name, string modelId)
    {
        string database;
        using (var collection = Store().Create(name, new CollectionOptions(Space)))
        {
            database = collection.DatabasePath;
        }

        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = $v WHERE key = 'model_id'";
            command.Parameters.AddWithValue("$v", modelId);
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        return database;
    }

    private static string Meta(string database, string key)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $k";
        command.Parameters.AddWithValue("$k", key);
        return (string)command.ExecuteScalar()!;
    }
}
