namespace Quiver.Analysis.Topics;

/// <summary>A word of a topic and its class-based TF-IDF weight.</summary>
public sealed record TopicKeyword(string Word, double Weight);
