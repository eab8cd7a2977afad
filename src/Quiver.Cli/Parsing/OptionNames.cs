using System.CommandLine;

namespace Quiver.Cli.Parsing;

/// <summary>How errors name an option: all its spellings, shortest first ("-k/--top").</summary>
internal static class OptionNames
{
    public static string Display(Option option) => string.Join('/', Spellings(option));

    public static string Shortest(Option option) => Spellings(option).First();

    public static IEnumerable<string> Spellings(Option option) =>
        option.Aliases.Append(option.Name).Distinct().OrderBy(name => name.Length).ThenBy(name => name, StringComparer.Ordinal);
}
