using System.CommandLine;
using Quiver.Models.Catalogue;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver embed</c>: text to vectors, as JSON.</summary>
internal static class EmbedCommand
{
    public static Command Create(CliContext context)
    {
        var texts = new Argument<string[]>("text") { Description = "One or more texts to embed", Arity = ArgumentArity.OneOrMore };
        var model = CliOptions.Model();
        var pooling = CliOptions.Pooling();
        var command = new Command(
            "embed",
            "Embed texts and print their vectors as JSON (unit length, with word and unknown-word counts).\n\n" +
            "Example: quiver embed \"The cat sat on the mat.\" \"A dog barked.\" --pooling Mean")
        {
            texts, model, pooling,
        };
        command.SetAction(result =>
        {
            var generator = InstalledModels.Open(context.Paths, result.GetValue(model)!).CreateGenerator(result.GetValue(pooling));
            var embeddings = result.GetValue(texts)!.Select(text =>
            {
                var e = generator.Embedder.Embed(text);
                return new { Text = text, Words = e.WordCount, UnknownWords = e.Unknown, Vector = e.Vector };
            }).ToList();
            context.WriteJson(new
            {
                Model = generator.Space.ModelId,
                Revision = generator.Space.Revision,
                Dimensions = generator.Space.Dimensions,
                Embeddings = embeddings,
            });
            return 0;
        });
        return command;
    }
}
