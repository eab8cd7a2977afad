namespace Quiver.Store.Reembedding;

/// <summary>One change of a collection after a sequence number: a point as it is now, or its deletion.</summary>
internal sealed record PointChange(long Sequence, string Id, string? Payload, string? Text, bool Deleted)
{
    /// <summary>Whether the point has text to embed (none, or only white space, has not).</summary>
    public bool HasText => !string.IsNullOrWhiteSpace(Text);
}
