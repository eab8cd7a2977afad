namespace Quiver.VectorData;

/// <summary>How a record holds its vector.</summary>
internal enum VectorKind
{
    /// <summary>ReadOnlyMemory&lt;float&gt;, or its nullable form.</summary>
    Memory,

    /// <summary>float[].</summary>
    Array,

    /// <summary>Embedding&lt;float&gt; (Microsoft.Extensions.AI).</summary>
    Embedding,

    /// <summary>A string that an embedding generator turns into the vector; the string is kept as the point's text.</summary>
    Text,
}
