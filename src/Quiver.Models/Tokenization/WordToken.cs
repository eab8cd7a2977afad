namespace Quiver.Models.Tokenization;

/// <summary>A token and where it came from in the normalised text.</summary>
public readonly record struct WordToken(string Text, WordTokenKind Kind);
