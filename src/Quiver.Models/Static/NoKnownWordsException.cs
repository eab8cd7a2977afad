using Quiver.Core;

namespace Quiver.Models.Static;

/// <summary>A text none of whose words the model knows, so it has no meaningful vector.</summary>
public sealed class NoKnownWordsException : QuiverException
{
    public NoKnownWordsException(string text, IReadOnlyList<string> unknown)
        : base(
            $"None of the words in \"{Shorten(text)}\" is in the model's vocabulary" +
            (unknown.Count > 0 ? $" (unknown: {string.Join(", ", unknown.Take(8))}{(unknown.Count > 8 ? ", ..." : string.Empty)})" : " (it has no words at all)") +
            ", so it has no vector. Check the language and spelling, or drop the text.")
    {
        Text = text;
        Unknown = unknown;
    }

    public string Text { get; }

    public IReadOnlyList<string> Unknown { get; }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
