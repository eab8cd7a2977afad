using Quiver.Core;
using Quiver.Training.Words;

namespace Quiver.Training.Documents;

/// <summary>Doc2Vec's settings, defaulting to gensim's Doc2Vec (PV-DM, 100 dimensions, window 5, 10 epochs, learning rate 0.025).</summary>
public sealed record Doc2VecOptions
{
    public Doc2VecMode Mode { get; init; } = Doc2VecMode.DistributedMemory;

    /// <summary>With PV-DBOW, also train word vectors by skip-gram on the same windows (gensim's dbow_words).</summary>
    public bool TrainWords { get; init; }

    public Word2VecOptions Word2Vec { get; init; } = new() { Dimensions = 100, Window = 5, Epochs = 10, LearningRate = 0.025f, MinCount = 5, Sample = 1e-3 };

    /// <summary>Passes over a new document when inferring its vector (default: the training epochs).</summary>
    public int? InferEpochs { get; init; }

    public void Validate()
    {
        Word2Vec.Validate();
        if (InferEpochs is < 1)
        {
            throw new QuiverException($"Inference epochs must be at least 1 (got {InferEpochs}).");
        }
    }
}
