using System.CommandLine;
using System.CommandLine.Invocation;
using Microsoft.Data.Sqlite;
using Quiver.Cli.Commands;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Spectre.Console;

namespace Quiver.Cli;

/// <summary>The <c>quiver</c> command tree. Verbs are thin: they parse, call the libraries and print.</summary>
internal static class QuiverCli
{
    // SQLite result codes (the low byte of an extended code) for a damaged database file.
    private const int SqliteCorrupt = 11;

    private const int SqliteNotADatabase = 26;

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var parsed = CreateRoot(context).Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var line in ParseErrors.Describe(parsed))
            {
                context.WriteError(line);
            }

            return 1;
        }

        var configuration = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parsed.InvokeAsync(configuration);
        }
        catch (OperationCanceledException)
        {
            context.ErrorConsole.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
        catch (StoredDataException e)
        {
            // Damage to Quiver's own files: one line that names the file (a parser's message may span lines) and the fix.
            var message = e.Message.ReplaceLineEndings(" ");
            context.WriteError(message.Contains(e.Path, StringComparison.Ordinal) ? message : $"{e.Path}: {message}");
            return 1;
        }
        catch (SqliteException e) when ((e.SqliteErrorCode & 0xFF) is SqliteCorrupt or SqliteNotADatabase)
        {
            context.WriteError(
                $"A collection's database under {context.Paths.Collections} is damaged ({e.Message.ReplaceLineEndings(" ")}): " +
                "restore the collection from a snapshot (quiver collections restore), or delete it and index again.");
            return 1;
        }
        catch (SqliteException e)
        {
            // Busy, read-only, full or unreadable: SQLite's own words, on one line, with the folder it concerns.
            context.WriteError($"A collection's database under {context.Paths.Collections} could not be used: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        catch (Exception e) when (e is QuiverException or IOException or UnauthorizedAccessException or ArgumentException or FormatException)
        {
            context.WriteError(e.Message);
            return 1;
        }
    }

    /// <summary>Every verb, wired to <paramref name="context"/>; the README test walks it to check each verb is documented.</summary>
    internal static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand(
            "Quiver: embeddings for .NET. Embed text with local models, store vectors in collections and search them.\n\n" +
            "Example: quiver models install glove-100 && quiver index ./docs && quiver search \"whale hunting at sea\"")
        {
            CliOptions.Json,
        };
        root.Subcommands.Add(ModelsCommands.Create(context));
        root.Subcommands.Add(EmbedCommand.Create(context));
        foreach (var command in WordCommands.Create(context))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(IndexCommands.CreateIndex(context));
        root.Subcommands.Add(IndexCommands.CreateSearch(context));
        root.Subcommands.Add(IndexCommands.CreateCollections(context));
        root.Subcommands.Add(IndexCommands.CreateInspect(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(OutliersCommand.Create(context));
        root.Subcommands.Add(DuplicatesCommand.Create(context));
        root.Subcommands.Add(RecommendCommand.Create(context));
        root.Subcommands.Add(AskContextCommand.Create(context));
        root.Subcommands.Add(ProjectCommand.Create(context));
        root.Subcommands.Add(EvalCommands.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(TrainCommands.Create(context));
        root.Subcommands.Add(ClusterCommand.Create(context));
        root.Subcommands.Add(ClassifyCommands.Create(context));
        return root;
    }
}
