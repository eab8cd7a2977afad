namespace Quiver.Ingestion.Bulk;

/// <summary>What a bulk embedding job does when its output file (or its checkpoint) already exists.</summary>
public enum ExistingOutput
{
    /// <summary>Stop with an error, so that a finished or interrupted run is never overwritten by mistake.</summary>
    Refuse,

    /// <summary>Start over: the output and its checkpoint are replaced.</summary>
    Overwrite,

    /// <summary>
    /// Continue the run the checkpoint records, after checking that the model, options and the input read so far are
    /// the same; a fresh start when neither output nor checkpoint exists.
    /// </summary>
    Resume,
}
