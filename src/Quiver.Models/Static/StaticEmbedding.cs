namespace Quiver.Models.Static;

/// <summary>A sentence vector from word vectors, with how many of its words the model knew.</summary>
public sealed record StaticEmbedding(float[] Vector, int WordCount, int KnownCount, IReadOnlyList<string> Unknown)
{
    public int UnknownCount => WordCount - KnownCount;
}
