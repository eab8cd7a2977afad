namespace Quiver.Training.GloVe;

/// <summary>The steps of GloVe training, in order.</summary>
public enum GloVeStage
{
    /// <summary>Counting words for the vocabulary (vocab_count).</summary>
    Vocabulary,

    /// <summary>Counting co-occurrences into memory, spilling sorted runs when it is full (cooccur).</summary>
    Counting,

    /// <summary>Merging the sorted runs into one file of summed records.</summary>
    Merging,

    /// <summary>Shuffling the records (shuffle).</summary>
    Shuffling,

    /// <summary>AdaGrad passes over the records (glove).</summary>
    Training,
}
