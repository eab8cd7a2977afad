using System.Globalization;
using Microsoft.ML.Tokenizers;

namespace Quiver.Models.Tokenization;

/// <summary>
/// BERT's pre-tokenisation as transformers.js does it: the text trimmed, then split into runs of characters that are
/// neither whitespace nor punctuation, and single punctuation characters. Punctuation is Unicode's P categories plus
/// every ASCII symbol (so $, + and ~ split words but € and emoji do not).
/// </summary>
internal sealed class BertWordSplitter : PreTokenizer
{
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    private static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var words = new List<(int Offset, int Length)>();
        var start = -1;
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var codePoint = width == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            if (BertTextNormalizer.IsJavaScriptWhitespace(codePoint))
            {
                Close(words, ref start, i);
            }
            else if (IsPunctuation(codePoint))
            {
                Close(words, ref start, i);
                words.Add((i, width));
            }
            else if (start < 0)
            {
                start = i;
            }

            i += width;
        }

        Close(words, ref start, text.Length);
        return words;
    }

    private static void Close(List<(int Offset, int Length)> words, ref int start, int end)
    {
        if (start >= 0)
        {
            words.Add((start, end - start));
            start = -1;
        }
    }

    internal static bool IsPunctuation(int codePoint) =>
        codePoint is (>= 0x21 and <= 0x2F) or (>= 0x3A and <= 0x40) or (>= 0x5B and <= 0x60) or (>= 0x7B and <= 0x7E)
        || CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
}
