using System.Text;

namespace Quiver.Models.Tests.Reference;

/// <summary>
/// Sentences that stress a BERT tokenizer, generated the same way every run: accents, emoji and flags, CJK (also
/// outside the Basic Multilingual Plane), very long words, control and zero-width characters, lone surrogates,
/// Greek sigma and Turkish dotted I, special tokens typed as text, scripts without spaces, and inputs far longer
/// than a model takes; plus random strings drawn from those characters.
/// </summary>
internal static class ReferenceSentences
{
    public static IReadOnlyList<string> Generate(int random = 300, int seed = 7)
    {
        var sentences = new List<string>
        {
            string.Empty, " ", "\t\n", "A man is playing a guitar.",
            "Héllo wörld, ça va? Ñandú naïve café résumé coöperate",
            "I ❤️ emoji 😀👍🏽 and 🇫🇷 flags 🏳️‍🌈 👨‍👩‍👧",
            "日本語のテキストと中文字符和한국어", "𠀀𠀁 astral CJK 𪜀 and ㈱",
            string.Concat(Enumerable.Repeat("supercalifragilisticexpialidocious", 3)),
            new('a', 100), new('a', 101), string.Concat(Enumerable.Repeat("😀", 51)), new('é', 101),
            "ΣΊΣΥΦΟΣ ΟΔΟΣ Σ ΑΣ. Σa", "İstanbul İ ı", "ǅungla ǈ ﬁ ß ẞ",
            "zero\u200bwidth\u200djoiner\ufeffbom\u2060wj", "ctrl\u0000\u0001\u0007\u001b chars\u007f\u0085",
            "lone \ud800 surrogate \udfff x\ud83dy", "nbsp\u00a0and\u2003em\u3000ideo\u202fnarrow",
            "tab\there\r\nnewline\u2028ls\u2029ps\u000bvt\u000cff",
            "[CLS] literal [SEP] and [MASK] and [cls] and [UNK][PAD]", "x[MASK]y[[SEP]]",
            "https://example.com/path?q=1&r=2#frag user@mail.org", "3.14159 1,000,000 $5 €10 ¥20 50% 1/2 ½",
            "e.g. U.S.A. don't can't won't o'clock", "ｆｕｌｌｗｉｄｔｈ　ＡＢＣ１２３", "مرحبا بالعالم", "नमस्ते दुनिया",
            "สวัสดีชาวโลก", "Привет, мир! Ёлка", "a\u0301 combining o\u0308 n\u0303 e\u0301\u0302", "\ue000 private \U000f0000 use",
            "…—–‘’“”«»¿¡·•", "Ⅻ ① ㎏ ™ ℃ ℕ", "^caret `backtick| pipe~tilde _under_", "dǿűblé-àćçéñtś",
        };

        var random1 = new Random(seed);
        string[] words = ["the", "quick", "brown", "fox", "jumps", "über", "naïve", "日本", "😀", "antidisestablishmentarianism", "over", "lazy", "dogs,", "end."];
        string Words(int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random1.Next(words.Length)]));
        sentences.Add(Words(40));
        sentences.Add(Words(180));
        sentences.Add(Words(700));

        string[] pool =
        [
            .. "aeiouxyzAEIOU é ñ ü ß Σ İ 日本中 😀👍 \u200b\u0301\t\n.,!?-'\"[]#$".Select(c => c.ToString()),
            "[CLS]", "[MASK]", "\ud83d", "𠀀", "\ud83d\ude00",
        ];
        for (var i = 0; i < random; i++)
        {
            var text = new StringBuilder();
            var length = random1.Next(0, 40);
            for (var j = 0; j < length; j++)
            {
                text.Append(pool[random1.Next(pool.Length)]);
            }

            sentences.Add(text.ToString());
        }

        return sentences;
    }
}
