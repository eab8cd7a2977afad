using System.CommandLine;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Prompts;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver compare "a" "b" …</c>: the cosine similarity of texts under any installed text model, one number for
/// two texts, a matrix for more, or a ranking against <c>--query</c>.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var texts = new Argument<string[]>("texts") { Description = "Two or more texts (with --query, one or more)", Arity = ArgumentArity.OneOrMore };
        var model = CliOptions.TextModel(context);
        var pooling = CliOptions.Pooling();
        var query = new Option<string?>("--query", "-q")
        {
            Description = "Rank the texts by similarity to this one instead of printing a matrix; a transformer with prompts embeds it as a query and the texts as documents",
        };
        var command = new Command(
            "compare",
            "Cosine similarity between texts under a model: one number for two texts, a matrix for more, or the texts ranked against --query. " +
            "Without --query, texts are embedded without prompts, as sentence-transformers' similarity does.\n\n" +
            "Examples:\n" +
            "  quiver compare \"a whale at sea\" \"a ship on the ocean\"\n" +
            "  quiver compare \"cats\" \"dogs\" \"stars\" -m glove-100 --json\n" +
            "  quiver compare -q \"sailors with harpoons\" \"whaling ships\" \"rocket launches\"")
        {
            texts, model, pooling, query,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var inputs = result.GetValue(texts)!;
            var queryText = result.GetValue(query);
            var name = result.GetValue(model)!;
            if (queryText is null && inputs.Length < 2)
            {
                throw new QuiverException("compare needs two or more texts, or --query TEXT and one or more texts to rank against it.");
            }

            // One model load: with --query the space's recorded prompts are put before the texts by wrappers.
            using var generator = InstalledModels.OpenTextGenerator(context.Paths, name, result.GetValue(pooling));
            var space = generator.GetService<EmbeddingSpace>()!;
            float[][] vectors;
            float[]? queryVector = null;
            if (queryText is null)
            {
                vectors = await Embed(generator, inputs, name, cancellationToken);
            }
            else
            {
                vectors = await Embed(PromptedEmbeddingGenerator.Wrap(generator, space.DocumentPrompt), inputs, name, cancellationToken);
                queryVector = (await Embed(PromptedEmbeddingGenerator.Wrap(generator, space.QueryPrompt), [queryText], name, cancellationToken))[0];
            }

            var json = result.GetValue(CliOptions.Json);
            if (queryVector is not null)
            {
                var ranked = inputs.Select((text, i) => (Text: text, Cosine: VectorMath.Cosine(queryVector, vectors[i]))).OrderByDescending(r => r.Cosine).ToList();
                if (json)
                {
                    context.WriteJson(new { Model = space.ModelId, Query = queryText, Ranked = ranked.Select(r => new { r.Text, r.Cosine }) });
                    return 0;
                }

                var table = new Table().AddColumns("cosine", "text");
                foreach (var (text, cosine) in ranked)
                {
                    table.AddRow($"{cosine:F3}", Markup.Escape(text));
                }

                context.Console.Write(table);
                return 0;
            }

            var matrix = new float[inputs.Length][];
            for (var i = 0; i < inputs.Length; i++)
            {
                matrix[i] = new float[inputs.Length];
                for (var j = 0; j < inputs.Length; j++)
                {
                    matrix[i][j] = i == j ? 1 : VectorMath.Cosine(vectors[i], vectors[j]);
                }
            }

            if (json)
            {
                context.WriteJson(new { Model = space.ModelId, Texts = inputs, Cosine = matrix });
            }
            else if (inputs.Length == 2)
            {
                context.Console.MarkupLine($"[bold]{matrix[0][1]:F3}[/] cosine ({Markup.Escape(space.ModelId)})");
            }
            else
            {
                var table = new Table().AddColumn("#").AddColumn("text");
                for (var j = 0; j < inputs.Length; j++)
                {
                    table.AddColumn(new TableColumn((j + 1).ToString()).RightAligned());
                }

                for (var i = 0; i < inputs.Length; i++)
                {
                    table.AddRow([(i + 1).ToString(), Markup.Escape(Shorten(inputs[i])), .. matrix[i].Select((c, j) => i == j ? "[grey]1[/]" : $"{c:F3}")]);
                }

                context.Console.Write(table);
                context.Console.MarkupLine($"[grey]cosine similarity under {Markup.Escape(space.ModelId)}[/]");
            }

            return 0;
        });
        return command;
    }

    private static async Task<float[][]> Embed(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, string model, CancellationToken cancellationToken)
    {
        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        var vectors = embeddings.Select(e => e.Vector.ToArray()).ToArray();
        for (var i = 0; i < vectors.Length; i++)
        {
            if (TensorPrimitives.Norm(vectors[i]) == 0)
            {
                throw new QuiverException($"The model '{model}' gives '{Shorten(texts[i])}' a zero vector (none of its words is in the model's vocabulary), which has no cosine. Use other words or a transformer model (-m all-minilm-l6-v2).");
            }
        }

        return vectors;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..39] + "…";
}
