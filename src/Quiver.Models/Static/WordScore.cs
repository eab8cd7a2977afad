namespace Quiver.Models.Static;

/// <summary>A word and its score (a cosine, or the 3CosMul objective for multiplicative analogies).</summary>
public readonly record struct WordScore(string Word, float Score);
