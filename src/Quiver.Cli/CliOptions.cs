using System.CommandLine;
using Quiver.Cli.Parsing;
using Quiver.Catalogue;

namespace Quiver.Cli;

/// <summary>Options several verbs share.</summary>
internal static class CliOptions
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON on standard output instead of tables",
        Recursive = true,
    };

    /// <summary>A text model for sentences: by default all-minilm-l6-v2 when installed, else use-lite, else glove-100 (SIF).</summary>
    public static Option<string> TextModel(CliContext context) => new("--model", "-m")
    {
        Description = $"Installed model to use (default: {ModelCatalogue.DefaultTextModelRule})",
        DefaultValueFactory = _ => ModelCatalogue.DefaultTextModel(context.Paths),
    };

    /// <summary>A word-vector model, for verbs about words.</summary>
    public static Option<string> WordModel() => new("--model", "-m")
    {
        Description = "Installed word-vector model to use",
        DefaultValueFactory = _ => ModelCatalogue.DefaultWordModel,
    };

    public static Option<string?> Pooling() => new("--pooling")
    {
        Description = "How tokens become one vector: sif or mean for word vectors; mean, cls, max or last-token for transformers (default: the model's own)",
    };

    public static Option<int> Top(int defaultValue) => new Option<int>("--top", "-k")
    {
        Description = "Number of results",
        DefaultValueFactory = _ => defaultValue,
    }.AtLeast(1, "10");

    public static Option<int> Restrict(int defaultValue) => new Option<int>("--restrict")
    {
        Description = "Consider only the N most frequent words as answers (0 = the whole vocabulary)",
        DefaultValueFactory = _ => defaultValue,
    }.AtLeast(0, "30000");

    public static Option<string> Collection() => new("--collection", "-c")
    {
        Description = "Collection name",
        DefaultValueFactory = _ => "docs",
    };

    /// <summary>A payload filter given as repeatable <c>--where</c> conditions; <paramref name="purpose"/> starts the description.</summary>
    public static Option<string[]> Where(string purpose = "Payload filter") => new("--where")
    {
        Description = $"{purpose}: key=value, key!=value, key>n, key>=n, key<n, key<=n (repeatable; all must hold)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The filter the <see cref="Where"/> option's conditions make, or null when none was given.</summary>
    public static Store.Filtering.PayloadFilter? Filter(ParseResult result, Option<string[]> where)
    {
        var conditions = (result.GetValue(where) ?? []).Select(Store.Filtering.PayloadFilter.ParseCondition).ToList();
        return conditions.Count > 0 ? new Store.Filtering.PayloadFilter(conditions) : null;
    }
}
