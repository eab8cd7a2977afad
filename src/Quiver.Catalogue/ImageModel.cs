using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models.Images;
using Quiver.Models.Onnx;

namespace Quiver.Catalogue;

/// <summary>
/// An installed image model: onnx/model.onnx (pixel_values NHWC → image_embedding) and preprocessor_config.json
/// (how a picture becomes pixel_values).
/// </summary>
public sealed class ImageModel
{
    public const string Kind = "image";
    public const string PreprocessorFile = "preprocessor_config.json";
    public const string ModelFile = "onnx/model.onnx";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    internal ImageModel(ModelManifest manifest, string folder)
    {
        Manifest = manifest;
        Folder = folder;
        var config = Path.Combine(folder, PreprocessorFile);
        try
        {
            Preprocessing = JsonSerializer.Deserialize<ImagePreprocessingOptions>(File.ReadAllText(config), Json)
                ?? throw new ModelFolderException(config, "empty; expected the image preprocessing settings (width, height, resize_mode, ...).");
        }
        catch (Exception e) when (e is JsonException or FileNotFoundException)
        {
            throw new ModelFolderException(config, $"cannot be read ({e.Message}). Reinstall the model with --force.", e);
        }
    }

    public ModelManifest Manifest { get; }

    public string Folder { get; }

    public string Name => Manifest.Name;

    public ImagePreprocessingOptions Preprocessing { get; }

    /// <summary>The space of this model's image vectors; text models have other model ids, so the two never mix.</summary>
    public EmbeddingSpace Space => new(new ModelReference(Name, ModelReference.ImageVariant, Manifest.Revision[..16]), Manifest.Dimensions, DistanceMetric.Cosine, Normalized: true);

    public ImageEncoder CreateEncoder(int threads = 0, int batchSize = 32) =>
        ImageEncoder.Open(Path.Combine(Folder, ModelFile), Preprocessing, threads, batchSize);

    public ImageEmbeddingGenerator CreateGenerator(int threads = 0, int batchSize = 32)
    {
        var encoder = CreateEncoder(threads, batchSize);
        try
        {
            return new ImageEmbeddingGenerator(encoder, Space);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    internal static void WritePreprocessing(string folder, ImagePreprocessingOptions options) =>
        File.WriteAllText(Path.Combine(folder, PreprocessorFile), JsonSerializer.Serialize(options, Json));
}
