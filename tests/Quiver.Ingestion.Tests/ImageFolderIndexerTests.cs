using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Ingestion;
using Quiver.Store.Collections;

namespace Quiver.Ingestion.Tests;

public sealed class ImageFolderIndexerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Images_become_points_with_path_size_and_format_and_bad_files_are_skipped()
    {
        var folder = Path.Combine(_temp.Path, "photos");
        Directory.CreateDirectory(Path.Combine(folder, "nested"));
        File.WriteAllBytes(Path.Combine(folder, "a.png"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(folder, "nested", "b.JPG"), [4, 5]);
        File.WriteAllBytes(Path.Combine(folder, "bad.webp"), [9]);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an image");
        var store = new CollectionStore(Path.Combine(_temp.Path, "store"));
        using var collection = store.OpenOrCreate("photos", new CollectionOptions(ByteImageGenerator.Space));

        var summary = await new ImageFolderIndexer(new ByteImageGenerator()) { BatchSize = 2 }.IndexAsync(folder, collection, null, CancellationToken.None);

        Assert.Equal(2, summary.Files);
        var skipped = Assert.Single(summary.Skipped);
        Assert.Equal("bad.webp", skipped.Path);
        Assert.Contains("cannot decode", skipped.Reason);
        var point = collection.Get("nested/b.JPG")!;
        Assert.Equal("nested/b.JPG", point.Payload!["path"]!.GetValue<string>());
        Assert.Equal(2, point.Payload["width"]!.GetValue<int>());
        Assert.Equal("image/jpeg", point.Payload["format"]!.GetValue<string>());
        Assert.Equal(2, collection.Count());
    }

    [Fact]
    public async Task A_text_collection_refuses_image_vectors()
    {
        var folder = Path.Combine(_temp.Path, "photos");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "a.png"), [1, 2, 3]);
        var store = new CollectionStore(Path.Combine(_temp.Path, "store"));
        using var text = store.OpenOrCreate("docs", new CollectionOptions(new EmbeddingSpace(new ModelReference("words", "sif", "abc"), 2, DistanceMetric.Cosine, true)));
        var error = await Assert.ThrowsAsync<EmbeddingSpaceMismatchException>(() => new ImageFolderIndexer(new ByteImageGenerator()).IndexAsync(folder, text, null, CancellationToken.None));
        Assert.Contains("bytes/image", error.Message);
        Assert.Equal(0, text.Count());
    }

    /// <summary>A stand-in image model: the vector is (bytes, first byte), width = byte count; a one-byte file cannot be decoded.</summary>
    private sealed class ByteImageGenerator : IEmbeddingGenerator<DataContent, Embedding<float>>
    {
        public static readonly EmbeddingSpace Space = new(new ModelReference("bytes", "image", "r1"), 2, DistanceMetric.Cosine, Normalized: false);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<DataContent> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var value in values)
            {
                var bytes = value.Data.ToArray();
                if (bytes.Length == 1)
                {
                    throw new QuiverException($"{value.Name}: cannot decode this image.");
                }

                result.Add(new Embedding<float>(new float[] { bytes.Length, bytes[0] })
                {
                    AdditionalProperties = new AdditionalPropertiesDictionary { ["width"] = bytes.Length, ["height"] = 1, ["format"] = value.MediaType },
                });
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(EmbeddingSpace) ? Space : null;

        public void Dispose()
        {
        }
    }
}
