namespace Quiver.Training.Words;

/// <summary>
/// What a training run did. <see cref="WordsTrained"/> counts corpus tokens in the vocabulary (sentence ends
/// included) over all epochs, before subsampling, the count word2vec's own progress uses, so words per second
/// compare with the C tool's.
/// </summary>
public sealed record TrainingSummary(int VocabularySize, long CorpusWords, int Epochs, long WordsTrained, TimeSpan VocabularyTime, TimeSpan TrainingTime)
{
    /// <summary>Words trained per second of training (vocabulary counting excluded).</summary>
    public double WordsPerSecond => TrainingTime.TotalSeconds > 0 ? WordsTrained / TrainingTime.TotalSeconds : 0;
}
