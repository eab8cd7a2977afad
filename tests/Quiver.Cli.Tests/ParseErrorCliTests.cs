using System.CommandLine;
using Quiver.Cli.Parsing;

namespace Quiver.Cli.Tests;

/// <summary>A command line that does not parse gets one line per problem: option, value, what it accepts; no help dump, no .NET types.</summary>
public sealed class ParseErrorCliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public void A_word_for_a_number_names_the_option_the_value_and_the_range()
    {
        var (code, output, error) = fixture.Run("search", "whale", "-k", "abc");
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal("error: -k/--top: 'abc' is not a whole number (expected 1 or more, e.g. -k 10)", error.TrimEnd());
    }

    [Fact]
    public void A_value_out_of_range_is_refused_before_the_library_sees_it()
    {
        var (code, _, error) = fixture.Run("search", "whale", "-k", "0");
        Assert.Equal(1, code);
        Assert.Equal("error: -k/--top: 0 is out of range (expected 1 or more, e.g. -k 10)", error.TrimEnd());

        (code, _, error) = fixture.Run("search", "whale", "--weight", "1.5");
        Assert.Equal(1, code);
        Assert.Equal("error: --weight: 1.5 is out of range (expected 0 to 1, e.g. --weight 0.3)", error.TrimEnd());

        (code, _, error) = fixture.Run("eval", "retrieval", "somewhere", "--weight", "0.3", "7");
        Assert.Equal(1, code);
        Assert.Equal("error: --weight: 7 is out of range (expected 0 to 1, e.g. --weight 0.3)", error.TrimEnd());
    }

    [Fact]
    public void An_unknown_enum_value_lists_the_allowed_ones()
    {
        var (code, _, error) = fixture.Run("search", "whale", "--mode", "foo");
        Assert.Equal(1, code);
        Assert.Equal("error: --mode: 'foo' is not one of Dense, Keyword, Hybrid (e.g. --mode Dense)", error.TrimEnd());
    }

    [Fact]
    public void A_missing_required_option_or_argument_says_which()
    {
        var (code, _, error) = fixture.Run("models", "fit-sif", "tiny");
        Assert.Equal(1, code);
        Assert.StartsWith("error: quiver models fit-sif: --corpus is required (", error, StringComparison.Ordinal);

        (code, _, error) = fixture.Run("index");
        Assert.Equal(1, code);
        Assert.StartsWith("error: quiver index: missing <folder> (", error, StringComparison.Ordinal);
        Assert.Single(Lines(error));
    }

    /// <summary>Every number and enum option of every verb: a bad value is named with the option, in lines of their own, with no type names.</summary>
    [Fact]
    public void Every_typed_option_of_every_verb_words_a_bad_value_itself()
    {
        var root = QuiverCli.CreateRoot(new CliContext(fixture.Paths, new StringWriter(), new StringWriter(), terminal: false));
        var checkedOptions = 0;
        foreach (var (path, option) in TypedOptions(root, []))
        {
            var (code, output, error) = fixture.Run([.. path, option.Name, "notavalue"]);
            var line = $"quiver {string.Join(' ', path)} {option.Name}";
            Assert.True(code == 1, line);
            Assert.True(output.Length == 0, line + " printed help: " + output);
            Assert.Contains(Lines(error), l => l.StartsWith($"error: {OptionNames.Display(option)}: 'notavalue' is not ", StringComparison.Ordinal));
            Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
            Assert.DoesNotContain("Quiver.", error, StringComparison.Ordinal);
            Assert.DoesNotContain("Usage:", error, StringComparison.Ordinal);
            checkedOptions++;
        }

        Assert.True(checkedOptions >= 50, $"only {checkedOptions} typed options found");
    }

    [Theory]
    [InlineData(new[] { "serach", "whale" }, "error: unknown verb 'serach'; did you mean 'search'? (quiver --help lists all verbs)")]
    [InlineData(new[] { "models", "instal", "x" }, "error: unknown verb 'instal' for 'quiver models'; did you mean 'install'? (quiver models --help lists its verbs)")]
    [InlineData(new[] { "eval", "stss", "f.csv" }, "error: unknown verb 'stss' for 'quiver eval'; did you mean 'sts'? (quiver eval --help lists its verbs)")]
    [InlineData(new[] { "xyzzy" }, "error: unknown verb 'xyzzy' (quiver --help lists all verbs)")]
    [InlineData(new[] { "search", "whale", "--topp", "3" }, "error: quiver search: unknown option '--topp'; did you mean '--top'? (quiver search --help lists its options)")]
    [InlineData(new[] { "models" }, "error: quiver models needs a verb: install, add, list, inspect, fit-sif, quantize (quiver models --help explains them)")]
    public void Unknown_verbs_and_options_suggest_the_closest_names(string[] args, string expected)
    {
        var (code, output, error) = fixture.Run(args);
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal(expected, error.TrimEnd());
    }

    [Theory]
    [InlineData("serach", "search", 1)]
    [InlineData("instal", "install", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Search", "search", 0)]
    [InlineData("", "abc", 3)]
    public void Edit_distance_counts_a_swap_as_one_edit(string a, string b, int expected)
    {
        Assert.Equal(expected, Suggestions.Distance(a, b));
        Assert.Equal(expected, Suggestions.Distance(b, a));
    }

    [Fact]
    public void Suggestions_are_the_nearest_names_or_those_the_typed_text_begins()
    {
        string[] verbs = ["search", "similar", "serve", "index", "inspect", "collections"];
        Assert.Equal(["search"], Suggestions.Closest("serach", verbs));
        Assert.Equal(["collections"], Suggestions.Closest("coll", verbs));
        Assert.Empty(Suggestions.Closest("zzzzzz", verbs));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<(string[] Path, Option Option)> TypedOptions(Command command, string[] path)
    {
        foreach (var option in command.Options.Where(o => !o.Hidden && IsTyped(o.ValueType)))
        {
            yield return (path, option);
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var found in TypedOptions(sub, [.. path, sub.Name]))
            {
                yield return found;
            }
        }
    }

    private static bool IsTyped(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        element = Nullable.GetUnderlyingType(element) ?? element;
        return element.IsEnum || element == typeof(int) || element == typeof(long) || element == typeof(ulong) || element == typeof(double) || element == typeof(float);
    }
}
