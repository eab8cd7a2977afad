namespace Quiver.Training.Documents;

/// <summary>The two paragraph-vector models of Le and Mikolov (2014).</summary>
public enum Doc2VecMode
{
    /// <summary>PV-DBOW: the document vector alone predicts the document's words (skip-gram from the document).</summary>
    DistributedBagOfWords,

    /// <summary>PV-DM: the mean of the document vector and the context words predicts the centre word (CBOW with the document).</summary>
    DistributedMemory,
}
