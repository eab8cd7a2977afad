using Quiver.Core;

namespace Quiver.Models.Static;

/// <summary>A word asked for by name that the vocabulary does not hold.</summary>
public sealed class UnknownWordException : QuiverException
{
    public UnknownWordException(string word)
        : base($"The word '{word}' is not in the vocabulary. Check its spelling and case (GloVe vocabularies are lower-case).")
    {
        Word = word;
    }

    public string Word { get; }
}
