using System.CommandLine;
using Quiver.Models.Catalogue;

namespace Quiver.Cli;

/// <summary>Options several verbs share.</summary>
internal static class CliOptions
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON on standard output instead of tables",
        Recursive = true,
    };

    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "Installed model to use",
        DefaultValueFactory = _ => ModelCatalogue.DefaultTextModel,
    };

    public static Option<string?> Pooling() => new("--pooling")
    {
        Description = "How tokens become one vector: sif or mean for word vectors; mean, cls, max or last-token for transformers (default: the model's own)",
    };

    public static Option<int> Top(int defaultValue) => new("--top", "-k")
    {
        Description = "Number of results",
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<int> Restrict(int defaultValue) => new("--restrict")
    {
        Description = "Consider only the N most frequent words as answers (0 = the whole vocabulary)",
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<string> Collection() => new("--collection", "-c")
    {
        Description = "Collection name",
        DefaultValueFactory = _ => "docs",
    };
}
