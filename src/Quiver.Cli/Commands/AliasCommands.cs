using System.CommandLine;
using Quiver.Store.Aliases;
using Quiver.Store.Collections;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver collections alias create|delete|rename|list</c>: Qdrant's aliases over the store's library API
/// (<see cref="CollectionAliases"/>). An alias works wherever a collection name does (-c, the server's routes).
/// </summary>
internal static class AliasCommands
{
    public static Command Create(CliContext context)
    {
        var alias = new Command(
            "alias",
            "Give collections other names: an alias works wherever a collection name does (-c, the server's routes), so a client can be switched to a rebuilt collection at once.\n\n" +
            "Examples:\n" +
            "  quiver collections alias create docs docs-v1\n" +
            "  quiver collections alias create docs docs-v2        # moves the alias: searches on docs now read docs-v2\n" +
            "  quiver collections alias list --json");
        alias.Subcommands.Add(CreateAlias(context));
        alias.Subcommands.Add(DeleteAlias(context));
        alias.Subcommands.Add(RenameAlias(context));
        alias.Subcommands.Add(ListAliases(context));
        return alias;
    }

    private static Command CreateAlias(CliContext context)
    {
        var name = new Argument<string>("alias") { Description = "The alias (a name no collection has)" };
        var collection = new Argument<string>("collection") { Description = "The collection it points at (an alias of that name already pointing elsewhere is moved)" };
        var command = new Command("create", "Point an alias at a collection.\n\nExample: quiver collections alias create docs docs-v2") { name, collection };
        command.SetAction(result =>
        {
            var store = CollectionStore.FromPaths(context.Paths);
            var previous = store.Aliases.Target(result.GetValue(name)!);
            store.Aliases.Create(result.GetValue(name)!, result.GetValue(collection)!);
            Report(context, result, new { Alias = result.GetValue(name), Collection = result.GetValue(collection), Previous = previous },
                $"[green]alias[/] {Markup.Escape(result.GetValue(name)!)} → {Markup.Escape(result.GetValue(collection)!)}" + (previous is null ? string.Empty : $" [grey](was {Markup.Escape(previous)})[/]"));
            return 0;
        });
        return command;
    }

    private static Command DeleteAlias(CliContext context)
    {
        var name = new Argument<string>("alias") { Description = "The alias to delete (its collection stays)" };
        var command = new Command("delete", "Delete an alias; the collection it points at stays.\n\nExample: quiver collections alias delete docs") { name };
        command.SetAction(result =>
        {
            var store = CollectionStore.FromPaths(context.Paths);
            if (!store.Aliases.Delete(result.GetValue(name)!))
            {
                throw new Core.QuiverException($"There is no alias named '{result.GetValue(name)}'. See quiver collections alias list.");
            }

            Report(context, result, new { Deleted = result.GetValue(name) }, $"[green]deleted alias[/] {Markup.Escape(result.GetValue(name)!)}");
            return 0;
        });
        return command;
    }

    private static Command RenameAlias(CliContext context)
    {
        var old = new Argument<string>("alias") { Description = "The alias's current name" };
        var renamed = new Argument<string>("new-name") { Description = "Its new name" };
        var command = new Command("rename", "Give an alias a new name (it keeps pointing at the same collection).\n\nExample: quiver collections alias rename docs docs-prod") { old, renamed };
        command.SetAction(result =>
        {
            CollectionStore.FromPaths(context.Paths).Aliases.Rename(result.GetValue(old)!, result.GetValue(renamed)!);
            Report(context, result, new { Renamed = result.GetValue(old), To = result.GetValue(renamed) }, $"[green]renamed alias[/] {Markup.Escape(result.GetValue(old)!)} → {Markup.Escape(result.GetValue(renamed)!)}");
            return 0;
        });
        return command;
    }

    private static Command ListAliases(CliContext context)
    {
        var collection = new Option<string?>("--collection", "-c") { Description = "Only the aliases of this collection (default: all)" };
        var command = new Command("list", "List aliases and the collections they point at.\n\nExample: quiver collections alias list -c docs-v2 --json") { collection };
        command.SetAction(result =>
        {
            var store = CollectionStore.FromPaths(context.Paths);
            var aliases = result.GetValue(collection) is { } c ? store.Aliases.Of(store.Resolve(c)) : store.Aliases.List();
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(aliases);
                return 0;
            }

            if (aliases.Count == 0)
            {
                context.Console.MarkupLine("[grey]no aliases[/] (create one with quiver collections alias create ALIAS COLLECTION)");
                return 0;
            }

            var table = new Table().AddColumns("alias", "collection");
            foreach (var a in aliases)
            {
                table.AddRow(Markup.Escape(a.AliasName), Markup.Escape(a.CollectionName));
            }

            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static void Report(CliContext context, ParseResult result, object json, string markup)
    {
        if (result.GetValue(CliOptions.Json))
        {
            context.WriteJson(json);
        }
        else
        {
            context.Console.MarkupLine(markup);
        }
    }
}
