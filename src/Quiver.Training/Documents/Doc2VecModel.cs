using System.Numerics.Tensors;
using Quiver.Models.Static;
using Quiver.Training.Words;

namespace Quiver.Training.Documents;

/// <summary>
/// A trained Doc2Vec model: word vectors, the training documents' vectors and the output weights, which inference
/// needs: a new document's vector is trained against the frozen model, starting from a seeded random vector.
/// </summary>
public sealed class Doc2VecModel
{
    private readonly float[] _documents;

    // The word rows Words wraps, which inference reads by pointer (shared, never written).
    private readonly float[] _wordRows;
    private UnigramTable? _table;
    private HuffmanTree? _tree;

    internal Doc2VecModel(Doc2VecOptions options, Vocabulary vocabulary, float[] wordRows, float[] documents, float[]? outputNegative, float[]? outputSoftmax, TrainingSummary summary)
    {
        _wordRows = wordRows;
        Options = options;
        Vocabulary = vocabulary;
        Words = new WordVectors(vocabulary.Words, wordRows, options.Word2Vec.Dimensions);
        _documents = documents;
        OutputNegative = outputNegative;
        OutputSoftmax = outputSoftmax;
        Summary = summary;
    }

    public Doc2VecOptions Options { get; }

    public Vocabulary Vocabulary { get; }

    public WordVectors Words { get; }

    public TrainingSummary Summary { get; }

    public int Dimensions => Words.Dimensions;

    public int DocumentCount => _documents.Length / Dimensions;

    internal float[]? OutputNegative { get; }

    internal float[]? OutputSoftmax { get; }

    /// <summary>The vector learnt for training document <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> DocumentVector(int index) => _documents.AsSpan(index * Dimensions, Dimensions);

    /// <summary>
    /// A vector for a new document: its row is trained for <see cref="Doc2VecOptions.InferEpochs"/> passes with the
    /// learning rate falling linearly to 0.01% of the start, the model left unchanged. The same seed gives the same vector.
    /// </summary>
    public float[] Infer(IReadOnlyList<string> tokens, ulong seed = 1)
    {
        var ids = tokens.Select(Vocabulary.IdOf).Where(id => id >= 0).ToArray();
        var w2v = Options.Word2Vec with { Cbow = Options.Mode == Doc2VecMode.DistributedMemory, Threads = 1 };
        _table ??= OutputNegative is null ? null : new UnigramTable(Vocabulary.Counts, UnigramTable.DefaultSize);
        _tree ??= OutputSoftmax is null ? null : new HuffmanTree(Vocabulary.Counts);
        var trainer = new EmbeddingTrainer(w2v, Vocabulary.Counts, _wordRows, OutputNegative, OutputSoftmax, _table, _tree, documents: 1, seed)
        {
            Documents = Options.Mode == Doc2VecMode.DistributedMemory ? DocumentMode.DistributedMemory : DocumentMode.DistributedBagOfWords,
        };
        var epochs = Options.InferEpochs ?? w2v.Epochs;
        var start = w2v.StartingLearningRate;
        var rng = new Lcg(seed);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var alpha = Math.Max(start * (1 - (epoch / (float)epochs)), start * 0.0001f);
            trainer.TrainDocument(ids, 0, alpha, ref rng);
        }

        return trainer.DocumentVectors;
    }

    /// <summary>The cosine of two vectors, for comparing documents.</summary>
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.CosineSimilarity(a, b);
}
