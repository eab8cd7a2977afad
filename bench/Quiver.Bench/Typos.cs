using System.Globalization;
using System.Text.Json;
using Quiver.Core;
using Quiver.Catalogue;

namespace Quiver.Bench;

/// <summary>
/// How well a word-vector model places misspelled words (outside its vocabulary) next to the word meant: for the
/// in-vocabulary words ranked FROM..TO by frequency with at least 5 letters, the two middle letters are swapped
/// (skipped when that gives the same word or another word of the vocabulary), the typo's vector is composed
/// (fastText n-grams; a model without them cannot answer), and the rank of the original among its nearest
/// vocabulary words is recorded. Prints recall@1/@10 and a few examples as JSON.
/// Usage: Quiver.Bench typos --model NAME [--from 100] [--to 2100] [--examples 8]
/// </summary>
internal static class Typos
{
    public static void Run(Args options)
    {
        var loaded = InstalledModels.Open(QuiverPaths.FromEnvironment(), options.Get("model", string.Empty));
        var vectors = loaded.Vectors;
        var from = int.Parse(options.Get("from", "100"), CultureInfo.InvariantCulture);
        var to = Math.Min(vectors.Count, int.Parse(options.Get("to", "2100"), CultureInfo.InvariantCulture));
        var exampleCount = int.Parse(options.Get("examples", "8"), CultureInfo.InvariantCulture);
        int tried = 0, top1 = 0, top10 = 0, noVector = 0;
        var examples = new List<object>();
        for (var rank = from; rank < to; rank++)
        {
            var word = vectors.Words[rank];
            if (word.Length < 5 || !word.All(char.IsLetter))
            {
                continue;
            }

            var chars = word.ToCharArray();
            var middle = (chars.Length / 2) - 1;
            (chars[middle], chars[middle + 1]) = (chars[middle + 1], chars[middle]);
            var typo = new string(chars);
            if (typo == word || vectors.Contains(typo))
            {
                continue;
            }

            tried++;
            var vector = loaded.VectorOf(typo);
            if (vector is null)
            {
                noVector++;
                continue;
            }

            var hits = vectors.Nearest(vector, 10);
            var at = hits.Select(h => h.Word).ToList().IndexOf(word);
            top1 += at == 0 ? 1 : 0;
            top10 += at >= 0 ? 1 : 0;
            if (examples.Count < exampleCount && tried % 97 == 1)
            {
                examples.Add(new { typo, meant = word, nearest = hits.Take(5).Select(h => $"{h.Word} {h.Score:F2}") });
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            model = loaded.Name,
            ranks = $"{from}-{to}",
            typos = tried,
            without_vector = noVector,
            recall_at_1 = tried == 0 ? 0 : (double)top1 / tried,
            recall_at_10 = tried == 0 ? 0 : (double)top10 / tried,
            examples,
        }));
    }
}
