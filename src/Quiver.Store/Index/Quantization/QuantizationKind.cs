namespace Quiver.Store.Index.Quantization;

/// <summary>How vectors are compressed for the candidate pass of a quantised search.</summary>
public enum QuantizationKind
{
    /// <summary>No compression: full float32 vectors (4 bytes per dimension).</summary>
    None,

    /// <summary>Scalar int8: each dimension mapped linearly from its observed [min, max] to 0..255 (1 byte per dimension).</summary>
    Int8,

    /// <summary>One bit per dimension (its sign after centring), compared by Hamming distance (1/32 of float32).</summary>
    Binary,
}
