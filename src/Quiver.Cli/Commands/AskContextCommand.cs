using System.CommandLine;
using Microsoft.Extensions.AI;
using Quiver.Cli.Parsing;
using Quiver.Ingestion.Retrieval;
using Quiver.Store.Collections;
using Quiver.Store.Search;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver ask-context</c>: passages with citations for a question, within a token budget, ready for a prompt.</summary>
internal static class AskContextCommand
{
    public static Command Create(CliContext context)
    {
        var question = new Argument<string>("question") { Description = "The question to gather context for" };
        var collection = CliOptions.Collection();
        var budget = new Option<int>("--budget") { Description = "Tokens the passages may use in all (counted with the collection's encoder tokenizer, or in words)", DefaultValueFactory = _ => 1000 }.AtLeast(1, "1000");
        var candidates = new Option<int>("--candidates") { Description = "Passages considered, best first", DefaultValueFactory = _ => 20 }.AtLeast(1, "20");
        var mode = new Option<SearchMode>("--mode") { Description = "hybrid, dense or keyword", DefaultValueFactory = _ => SearchMode.Hybrid };
        var mmr = new Option<double?>("--mmr") { Description = "MMR λ against near-duplicate passages (default 0.7; 1 turns it off)", DefaultValueFactory = _ => 0.7 }.Between(0, 1, "0.7");
        var where = CliOptions.Where("Payload filter");
        var command = new Command(
            "ask-context",
            "Gather the passages that answer a question, with citations (path, page, character offsets), within a token budget: " +
            "text ready to paste into a prompt.\n\nExample: quiver ask-context \"how do whales sing?\" -c corpus --budget 800")
        {
            question, collection, budget, candidates, mode, mmr, where,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var target = CollectionStore.FromPaths(context.Paths).Open(result.GetValue(collection)!);
            var searchMode = result.GetValue(mode);
            using var generator = searchMode == SearchMode.Keyword ? null : IndexCommands.QueryGeneratorFor(context, target);
            var counter = generator is null ? new Core.Text.WhitespaceTokenCounter(int.MaxValue) : IndexCommands.TokenCounterFor(generator);
            var answer = await new ContextRetriever(generator, counter).RetrieveAsync(
                target,
                new ContextRequest(result.GetValue(question)!)
                {
                    BudgetTokens = result.GetValue(budget),
                    Candidates = result.GetValue(candidates),
                    Mode = searchMode,
                    MmrLambda = result.GetValue(mmr) is 1.0 ? null : result.GetValue(mmr),
                    Filter = CliOptions.Filter(result, where),
                },
                cancellationToken);
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { answer.Question, Collection = target.Name, answer.UsedTokens, answer.BudgetTokens, answer.PassedOver, answer.Passages, answer.Prompt });
                return 0;
            }

            context.Output.WriteLine(answer.Prompt);
            context.ErrorConsole.MarkupLine(
                $"[grey]{answer.Passages.Count} passages, {answer.UsedTokens}/{answer.BudgetTokens} tokens{(answer.PassedOver > 0 ? $", {answer.PassedOver} passed over (too long for what was left)" : string.Empty)}[/]");
            return 0;
        });
        return command;
    }
}
