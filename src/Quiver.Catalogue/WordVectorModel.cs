using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Models.Static;
using Quiver.Models.Tokenization;

namespace Quiver.Catalogue;

/// <summary>An installed word-vector model: its manifest, vectors and SIF parameters.</summary>
public sealed class WordVectorModel
{
    public const string Kind = "word-vectors";
    public const string VectorsFile = "vectors.qvec";
    public const string SifFile = "sif.json";

    private WordVectorModel(ModelManifest manifest, WordVectors vectors, SifParameters sif, SubwordTable? subwords)
    {
        Manifest = manifest;
        Vectors = vectors;
        Sif = sif;
        Subwords = subwords;
    }

    public ModelManifest Manifest { get; }

    public WordVectors Vectors { get; }

    public SifParameters Sif { get; }

    /// <summary>fastText n-gram vectors for words outside the vocabulary, when the model was trained with them.</summary>
    public SubwordTable? Subwords { get; }

    /// <summary>
    /// A word's vector: its row when it is in the vocabulary, else (with <see cref="Subwords"/>) the mean of its
    /// n-gram vectors; null when neither gives one.
    /// </summary>
    public float[]? VectorOf(string word)
    {
        if (Vectors.RankOf(word) is var rank and >= 0)
        {
            return Vectors.Vector(rank).ToArray();
        }

        var vector = new float[Vectors.Dimensions];
        return Subwords is not null && Subwords.TryCompose(word, vector) ? vector : null;
    }

    public string Name => Manifest.Name;

    /// <summary>
    /// The space of the sentence vectors a pooling produces. Mean and SIF vectors of the same words differ, and so do
    /// SIF vectors with different common components, so both are part of the revision.
    /// </summary>
    public EmbeddingSpace Space(StaticPooling pooling)
    {
        var revision = Manifest.Revision[..16];
        if (pooling == StaticPooling.Sif)
        {
            var sifBytes = JsonSerializer.SerializeToUtf8Bytes(new SifFileContent(Sif.A, Sif.CommonComponent, string.Empty));
            revision += "-sif-" + Convert.ToHexStringLower(SHA256.HashData(sifBytes))[..8];
        }

        return new EmbeddingSpace(new ModelReference(Name, pooling.ToString().ToLowerInvariant(), revision), Manifest.Dimensions, DistanceMetric.Cosine, Normalized: true);
    }

    public StaticEmbedder CreateEmbedder(StaticPooling pooling) =>
        new(Vectors, pooling, Sif, tokenizer: new WordTokenizer(new WordTokenizerOptions { Lowercase = Manifest.Lowercase }));

    public StaticTextEncoder CreateTextEncoder(StaticPooling pooling) => new(CreateEmbedder(pooling), Space(pooling));

    public TextEmbeddingGenerator CreateGenerator(StaticPooling pooling) => new(CreateTextEncoder(pooling));

    internal static WordVectorModel Load(string folder, ModelManifest manifest)
    {
        var vectors = WordVectorFile.Read(Path.Combine(folder, VectorsFile));
        var sifPath = Path.Combine(folder, SifFile);
        var sif = File.Exists(sifPath)
            ? JsonSerializer.Deserialize<SifFileContent>(File.ReadAllText(sifPath))?.ToParameters()
            : null;
        var subwordPath = Path.Combine(folder, SubwordTable.FileName);
        var subwords = File.Exists(subwordPath) ? SubwordTable.Read(subwordPath) : null;
        return new WordVectorModel(manifest, vectors, sif ?? new SifParameters(SifParameters.DefaultA, null, "none"), subwords);
    }

    internal static void WriteSif(string folder, SifParameters sif)
    {
        var path = Path.Combine(folder, SifFile);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(new SifFileContent(sif.A, sif.CommonComponent, sif.FittedOn), InstalledModels.Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private sealed record SifFileContent(
        [property: JsonPropertyName("a")] float A,
        [property: JsonPropertyName("commonComponent")] float[]? CommonComponent,
        [property: JsonPropertyName("fittedOn")] string FittedOn)
    {
        public SifParameters ToParameters() => new(A, CommonComponent, FittedOn);
    }
}
