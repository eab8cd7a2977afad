using System.CommandLine;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Models.Remote;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver models add NAME --openai-base-url URL --remote-model ID</c>: an OpenAI-compatible endpoint as an installed model.</summary>
internal static class ModelsAddCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The name to register the remote model under" };
        var baseUrl = new Option<string>("--openai-base-url") { Description = "The API's base URL, to which /embeddings is appended (e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1)", Required = true };
        var remoteModel = new Option<string>("--remote-model") { Description = "The provider's model id (e.g. text-embedding-3-small, nomic-embed-text)", Required = true };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "The NAME of the environment variable that holds the API key (the key is read at run time, never stored)" };
        var dimensions = new Option<int?>("--dimensions") { Description = "The size you expect; add refuses when the endpoint answers another" }.AtLeast(1, "384");
        var maxBatch = new Option<int>("--max-batch") { Description = "The most inputs per request", DefaultValueFactory = _ => RemoteEndpoint.DefaultMaxBatch }.AtLeast(1, "64");
        var force = new Option<bool>("--force") { Description = "Replace a model of the same name" };
        var command = new Command(
            "add",
            "Register an OpenAI-compatible embeddings endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, text-embeddings-inference, another quiver serve) " +
            "as a text model that every verb and the server use like a local one. The endpoint is called once to learn its dimensions; nothing is stored when it fails.\n\n" +
            "Examples:\n  quiver models add openai-small --openai-base-url https://api.openai.com/v1 --remote-model text-embedding-3-small --api-key-env OPENAI_API_KEY\n" +
            "  quiver models add nomic --openai-base-url http://127.0.0.1:11434/v1 --remote-model nomic-embed-text")
        {
            name, baseUrl, remoteModel, apiKeyEnv, dimensions, maxBatch, force,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var endpoint = RemoteEndpoint.Create(result.GetValue(baseUrl)!, result.GetValue(remoteModel)!, result.GetValue(apiKeyEnv), result.GetValue(maxBatch));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var manifest = await new ModelInstaller(context.Paths).AddRemoteAsync(
                result.GetValue(name)!, endpoint, result.GetValue(dimensions), result.GetValue(force), new SynchronousProgress<InstallProgress>(p => context.Note(p.Stage)), cancellationToken);
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(manifest);
            }
            else
            {
                context.Console.MarkupLine(
                    $"[green]added[/] {Markup.Escape(manifest.Name)} ({manifest.Kind}): {Markup.Escape(endpoint.Model)} at {Markup.Escape(endpoint.BaseUrl.ToString())}, {manifest.Dimensions}-d, revision {manifest.Revision[..12]} ({clock.Elapsed.TotalSeconds:F1} s)");
            }

            return 0;
        });
        return command;
    }
}
