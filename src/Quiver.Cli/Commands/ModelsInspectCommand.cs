using System.CommandLine;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver models inspect NAME</c>: what an installed model is and how it is used (pooling, length, prompts, space).</summary>
internal static class ModelsInspectCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "An installed model (see quiver models list)" };
        var command = new Command(
            "inspect",
            "Show an installed model: its manifest (source, revision, licence), and for a transformer how it is run: pooling, " +
            "normalisation, maximum tokens, its named prompts and which apply to documents and to queries, and its embedding space.\n\n" +
            "Example: quiver models inspect arctic-embed-xs")
        {
            name,
        };
        command.SetAction(result =>
        {
            var modelName = result.GetValue(name)!;
            var manifest = InstalledModels.Manifest(context.Paths, modelName);
            var model = ModelKinds.Of(manifest) == ModelKinds.Transformer ? InstalledModels.OpenTransformer(context.Paths, modelName) : null;
            var folder = model?.Folder;
            string? space = null;
            if (model is not null)
            {
                using var encoder = model.CreateEncoder(new Models.Onnx.TransformerEncoderOptions { Threads = 1 });
                space = model.Space(encoder).ToString();
            }

            if (result.GetValue(CliOptions.Json))
            {
                var transformer = folder is null ? null : new
                {
                    Folder = folder.Folder,
                    ModelFile = Path.GetRelativePath(folder.Folder, folder.ModelPath),
                    folder.ModelType,
                    Pooling = TransformerModel.PoolingName(folder.Pooling),
                    folder.Normalize,
                    MaxTokens = folder.MaxLength,
                    Vocabulary = folder.Tokenizer.VocabularySize,
                    folder.Prompts,
                    DocumentPrompt = folder.PromptFor(TextRole.Document),
                    QueryPrompt = folder.PromptFor(TextRole.Query),
                    Space = space,
                };
                context.WriteJson(new { Model = manifest, Transformer = transformer });
                return 0;
            }

            var table = new Table().AddColumns("property", "value").HideHeaders();
            void Row(string key, object? value) => table.AddRow(Markup.Escape(key), Markup.Escape(value?.ToString() ?? "none"));
            Row("model", manifest.Name);
            Row("kind", manifest.Kind);
            Row("description", manifest.Description);
            Row("dimensions", manifest.Dimensions);
            Row("revision", manifest.Revision);
            Row("source", manifest.Source);
            Row("licence", manifest.License);
            Row("installed", manifest.InstalledAt.ToString("yyyy-MM-dd HH:mm 'UTC'"));
            if (folder is not null)
            {
                Row("pooling", TransformerModel.PoolingName(folder.Pooling) + (folder.Normalize ? ", normalised" : string.Empty));
                Row("max tokens", folder.MaxLength);
                Row("prompts", folder.Prompts.Count == 0 ? "none" : string.Join(", ", folder.Prompts.Select(p => $"{p.Key}: \"{p.Value}\"")));
                Row("document prompt", folder.PromptFor(TextRole.Document) is { } d ? $"\"{d}\"" : null);
                Row("query prompt", folder.PromptFor(TextRole.Query) is { } q ? $"\"{q}\"" : null);
                Row("space", space);
                Row("folder", folder.Folder);
            }

            context.Console.Write(table);
            return 0;
        });
        return command;
    }
}
