using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Quiver.Models.Tokenization;

/// <summary>
/// BERT's normalisation exactly as transformers.js applies it (the reference Quiver's token ids are checked against):
/// control, format, private-use and lone-surrogate characters removed, every whitespace character made a space,
/// spaces around CJK ideographs (tested per UTF-16 unit, so only the Basic Multilingual Plane ranges), JavaScript's
/// toLowerCase (full mapping: İ becomes i + U+0307, a word-final Σ becomes ς), and accents stripped by NFD with
/// non-spacing marks dropped.
/// </summary>
internal sealed class BertTextNormalizer(BertNormalizationOptions options) : Normalizer
{
    public BertNormalizationOptions Options { get; } = options;

    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        var text = Options.CleanText ? Clean(original) : original.ToString();
        if (Options.HandleChineseChars)
        {
            text = SpaceChineseChars(text);
        }

        if (Options.Lowercase)
        {
            text = JavaScriptLowercase(text);
        }

        if (Options.StripAccents ?? Options.Lowercase)
        {
            text = StripAccents(text);
        }

        return text;
    }

    /// <summary>The characters JavaScript's \s matches (after cleaning, only these become spaces).</summary>
    internal static bool IsJavaScriptWhitespace(int c) =>
        c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x00A0 or 0x1680 or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 or 0xFEFF
        || c is >= 0x2000 and <= 0x200A;

    private static string Clean(ReadOnlySpan<char> text)
    {
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1]));
                if (!IsRemovedCategory(category))
                {
                    output.Append(c).Append(text[i + 1]);
                }

                i++;
                continue;
            }

            if (c is '\0' or '\uFFFD' || (c is not ('\t' or '\n' or '\r') && IsRemovedCategory(CharUnicodeInfo.GetUnicodeCategory(c))))
            {
                continue;
            }

            output.Append(IsJavaScriptWhitespace(c) ? ' ' : c);
        }

        return output.ToString();
    }

    private static bool IsRemovedCategory(UnicodeCategory category) =>
        category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    private static bool IsChineseChar(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    private static string SpaceChineseChars(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u3400', '\uFAFF'))
        {
            return text;
        }

        var output = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsChineseChar(c))
            {
                output.Append(' ').Append(c).Append(' ');
            }
            else
            {
                output.Append(c);
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// .NET's invariant lowercasing is the simple one-to-one mapping; JavaScript's adds the two language-independent
    /// special cases of Unicode's SpecialCasing.txt, which are applied here.
    /// </summary>
    internal static string JavaScriptLowercase(string text)
    {
        var lower = text.ToLowerInvariant();
        if (!text.AsSpan().ContainsAny('\u0130', '\u03A3'))
        {
            return lower;
        }

        var output = new StringBuilder(lower.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\u0130':
                    output.Append("i\u0307");
                    break;
                case '\u03A3':
                    output.Append(IsFinalSigma(text, i) ? '\u03C2' : '\u03C3');
                    break;
                default:
                    output.Append(lower[i]);
                    break;
            }
        }

        return output.ToString();
    }

    /// <summary>Unicode's Final_Sigma condition: a cased letter before (skipping case-ignorables) and none after.</summary>
    private static bool IsFinalSigma(string text, int index)
    {
        var before = false;
        for (var i = index - 1; i >= 0; i--)
        {
            Rune.DecodeLastFromUtf16(text.AsSpan(0, i + 1), out var c, out var width);
            i -= width - 1;
            if (IsCaseIgnorable(c))
            {
                continue;
            }

            before = IsCased(c);
            break;
        }

        if (!before)
        {
            return false;
        }

        for (var i = index + 1; i < text.Length; i++)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var c, out var width);
            i += width - 1;
            if (IsCaseIgnorable(c))
            {
                continue;
            }

            return !IsCased(c);
        }

        return true;
    }

    private static bool IsCased(Rune c) =>
        Rune.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(Rune c) =>
        c.Value is '\'' or '.' or ':' or '^' or '`' or 0x00A8 or 0x00AD or 0x00AF or 0x00B4 or 0x00B7 or 0x00B8 or 0x2018 or 0x2019 or 0x2024 or 0x2027
        || Rune.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;

    private static string StripAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var output = new StringBuilder(decomposed.Length);
        for (var i = 0; i < decomposed.Length; i++)
        {
            var c = decomposed[i];
            if (char.IsHighSurrogate(c) && i + 1 < decomposed.Length && char.IsLowSurrogate(decomposed[i + 1]))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, decomposed[i + 1])) != UnicodeCategory.NonSpacingMark)
                {
                    output.Append(c).Append(decomposed[i + 1]);
                }

                i++;
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                output.Append(c);
            }
        }

        return output.ToString();
    }
}
