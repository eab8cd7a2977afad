namespace Quiver.Catalogue.Quantization;

/// <summary>How many scales an int8 weight matrix gets.</summary>
public enum QuantizationGranularity
{
    /// <summary>One scale for the whole matrix: its largest |weight| sets the step of every column.</summary>
    PerTensor,

    /// <summary>
    /// One scale per output column (channel), so a column of small weights is not rounded on the step of the
    /// matrix's largest one.
    /// </summary>
    PerChannel,
}
