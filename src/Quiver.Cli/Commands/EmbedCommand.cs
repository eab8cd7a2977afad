using System.CommandLine;
using Microsoft.Extensions.AI;
using Quiver.Cli.Parsing;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Models;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver embed</c>: text to vectors, as JSON.</summary>
internal static class EmbedCommand
{
    public static Command Create(CliContext context)
    {
        var texts = new Argument<string[]>("text") { Description = "One or more texts to embed (with --image: image files)", Arity = ArgumentArity.ZeroOrMore };
        var image = new Option<bool>("--image") { Description = $"Embed image files (PNG, JPEG, GIF, BMP, WebP) with an image model (default {ModelCatalogue.DefaultImageModel})" };
        var model = CliOptions.TextModel(context);
        var pooling = CliOptions.Pooling();
        var dimensions = new Option<int?>("--dimensions") { Description = "Transformers: keep the first N dimensions (Matryoshka), renormalised" }.AtLeast(1, "128");
        var truncation = new Option<TruncationPolicy>("--truncation")
        {
            Description = "Transformers, for inputs longer than the model takes: Truncate (reported), Chunk (overlapping windows pooled) or Error",
            DefaultValueFactory = _ => TruncationPolicy.Truncate,
        };
        var prompt = new Option<string?>("--prompt") { Description = "Transformers: the model's prompt to put before each input, by name (e.g. query; see quiver models inspect). Default: none, as sentence-transformers' encode" };
        var promptText = new Option<string?>("--prompt-text") { Description = "Your own text to put before each input (its vectors get their own space)" };
        var bulk = new BulkEmbedCommand(context, model, pooling, dimensions, truncation, prompt, promptText, image);
        var command = new Command(
            "embed",
            "Embed texts and print their vectors as JSON, with token counts (and, for transformers, how many tokens were truncated); " +
            "or embed a whole file of texts into a .jsonl or .npy file (--input, --output), resumable.\n\n" +
            "Examples:\n  quiver embed \"The cat sat on the mat.\" \"A dog barked.\" --pooling mean\n" +
            "  quiver embed \"a very long text ...\" --model all-minilm-l6-v2 --truncation Chunk\n" +
            "  quiver embed \"how do whales sing\" --model arctic-embed-xs --prompt query\n" +
            "  quiver embed --image photo.jpg scan.png\n" +
            BulkEmbedCommand.Examples)
        {
            texts, model, pooling, dimensions, truncation, prompt, promptText, image,
        };
        bulk.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (bulk.Requested(result))
            {
                return await bulk.RunAsync(result, result.GetValue(texts) ?? [], cancellationToken);
            }

            if (result.GetValue(texts) is not { Length: > 0 })
            {
                throw new Core.QuiverException("Give one or more texts to embed (quiver embed \"some text\"), or a file with --input FILE --output FILE.");
            }

            if (result.GetValue(image))
            {
                var imageModel = InstalledModels.OpenImage(context.Paths, result.GetResult(model) is { Implicit: false } ? result.GetValue(model)! : ModelCatalogue.DefaultImageModel);
                using var images = imageModel.CreateGenerator();
                var files = result.GetValue(texts)!;
                var contents = new List<DataContent>();
                foreach (var file in files)
                {
                    if (!File.Exists(file))
                    {
                        throw new Core.QuiverException($"The image file '{file}' does not exist.");
                    }

                    contents.Add(new DataContent(await File.ReadAllBytesAsync(file, cancellationToken), "application/octet-stream") { Name = file });
                }

                var vectors = await images.GenerateAsync(contents, cancellationToken: cancellationToken);
                context.WriteJson(new
                {
                    Model = images.Space.ModelId,
                    images.Space.Revision,
                    images.Space.Dimensions,
                    images.Space.Normalized,
                    Embeddings = files.Zip(vectors, (file, e) => new
                    {
                        File = file,
                        Width = e.AdditionalProperties?["width"],
                        Height = e.AdditionalProperties?["height"],
                        Format = e.AdditionalProperties?["format"],
                        Vector = e.Vector.ToArray(),
                    }),
                });
                return 0;
            }

            var name = result.GetValue(model)!;
            if (result.GetValue(prompt) is not null && result.GetValue(promptText) is not null)
            {
                throw new Core.QuiverException("Pass either --prompt (a prompt the model names) or --prompt-text (your own text), not both.");
            }

            if (result.GetValue(promptText) is not null && !ModelKinds.Of(InstalledModels.Manifest(context.Paths, name)).TakesPrompts)
            {
                throw new Core.QuiverException($"The model '{name}' is not a transformer and takes no prompt; --prompt-text applies to transformer models.");
            }

            var options = new TransformerEncoderOptions { Dimensions = result.GetValue(dimensions), Truncation = result.GetValue(truncation), Prompt = result.GetValue(promptText) };
            using var encoder = InstalledModels.OpenTextEncoder(context.Paths, name, result.GetValue(pooling), options, promptName: result.GetValue(prompt));
            var space = encoder.Space;
            var inputs = result.GetValue(texts)!;
            var encoded = await encoder.EncodeAsync(inputs, cancellationToken: cancellationToken);
            object embeddings = encoder.Unit == TextUnit.Words
                ? inputs.Zip(encoded, (text, e) => new { Text = text, Words = e.Tokens, e.UnknownWords, e.Vector }).ToList()
                : inputs.Zip(encoded, (text, e) => new { Text = text, e.Tokens, e.TruncatedTokens, e.Chunks, e.Vector }).ToList();

            context.WriteJson(new
            {
                Model = space.ModelId,
                space.Revision,
                space.Dimensions,
                space.Normalized,
                encoder.Prompt,
                Embeddings = embeddings,
            });
            return 0;
        });
        return command;
    }
}
