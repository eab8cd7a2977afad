using System.CommandLine;
using Quiver.Catalogue;
using Quiver.Models.Static;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver similar</c>, <c>analogy</c> and <c>odd-one-out</c> over word vectors.</summary>
internal static class WordCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return Similar(context);
        yield return Analogy(context);
        yield return OddOneOut(context);
    }

    private static Command Similar(CliContext context)
    {
        var word = new Argument<string>("word") { Description = "The word to find neighbours of" };
        var model = CliOptions.WordModel();
        var top = CliOptions.Top(10);
        var restrict = CliOptions.Restrict(0);
        var command = new Command("similar", "The words closest to a word by cosine similarity.\n\nExample: quiver similar frog -k 5")
        {
            word, model, top, restrict,
        };
        command.SetAction(result =>
        {
            var loaded = InstalledModels.Open(context.Paths, result.GetValue(model)!);
            var vectors = loaded.Vectors;
            var query = Normalize(loaded, result.GetValue(word)!);

            // A fastText model answers words outside its vocabulary from their character n-grams.
            var hits = vectors.Contains(query) || loaded.Subwords is null
                ? vectors.MostSimilar(query, result.GetValue(top), result.GetValue(restrict))
                : vectors.Nearest(loaded.VectorOf(query) ?? throw new UnknownWordException(query), result.GetValue(top), result.GetValue(restrict));
            Print(context, result, hits, "cosine");
            return 0;
        });
        return command;
    }

    private static Command Analogy(CliContext context)
    {
        var positive = new Argument<string>("word") { Description = "The word to start from (king)" };
        var negative = new Argument<string>("minus") { Description = "The word to subtract (man)" };
        var plus = new Argument<string>("plus") { Description = "The word to add (woman)" };
        var model = CliOptions.WordModel();
        var top = CliOptions.Top(5);
        var restrict = CliOptions.Restrict(0);
        var method = new Option<AnalogyMethod>("--method") { Description = "CosAdd (3CosAdd) or CosMul (3CosMul)", DefaultValueFactory = _ => AnalogyMethod.CosAdd };
        var command = new Command(
            "analogy",
            "Word arithmetic: the words closest to WORD − MINUS + PLUS, i.e. MINUS is to WORD as PLUS is to ?\n\n" +
            "Example: quiver analogy king man woman   (answers queen)")
        {
            positive, negative, plus, model, top, restrict, method,
        };
        command.SetAction(result =>
        {
            var loaded = InstalledModels.Open(context.Paths, result.GetValue(model)!);
            var vectors = loaded.Vectors;
            var hits = vectors.Analogy(
                Normalize(loaded, result.GetValue(negative)!),
                Normalize(loaded, result.GetValue(positive)!),
                Normalize(loaded, result.GetValue(plus)!),
                result.GetValue(top),
                result.GetValue(method),
                result.GetValue(restrict));
            Print(context, result, hits, result.GetValue(method) == AnalogyMethod.CosAdd ? "cosine" : "3cosmul");
            return 0;
        });
        return command;
    }

    private static Command OddOneOut(CliContext context)
    {
        var words = new Argument<string[]>("words") { Description = "Three or more words", Arity = new ArgumentArity(3, 100) };
        var model = CliOptions.WordModel();
        var command = new Command("odd-one-out", "The word that fits least with the others.\n\nExample: quiver odd-one-out breakfast cereal dinner lunch")
        {
            words, model,
        };
        command.SetAction(result =>
        {
            var loaded = InstalledModels.Open(context.Paths, result.GetValue(model)!);
            var vectors = loaded.Vectors;
            var odd = vectors.OddOneOut(result.GetValue(words)!.Select(w => Normalize(loaded, w)).ToList());
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { odd.Word, CosineToMean = odd.Score });
            }
            else
            {
                context.Console.MarkupLine($"[bold]{Markup.Escape(odd.Word)}[/] (cosine to the others' mean {odd.Score:F3})");
            }

            return 0;
        });
        return command;
    }

    // Lower-case vocabularies (GloVe) should find "King" too.
    private static string Normalize(WordVectorModel model, string word) =>
        model.Manifest.Lowercase ? word.Trim().ToLowerInvariant() : word.Trim();

    private static void Print(CliContext context, ParseResult result, IReadOnlyList<WordScore> hits, string scoreName)
    {
        if (result.GetValue(CliOptions.Json))
        {
            context.WriteJson(hits.Select(h => new { h.Word, Score = h.Score }));
            return;
        }

        var table = new Table().AddColumns("#", "word", scoreName);
        for (var i = 0; i < hits.Count; i++)
        {
            table.AddRow((i + 1).ToString(), Markup.Escape(hits[i].Word), hits[i].Score.ToString("F4"));
        }

        context.Console.Write(table);
    }
}
