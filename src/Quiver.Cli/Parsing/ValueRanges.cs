using System.CommandLine;
using System.Globalization;

namespace Quiver.Cli.Parsing;

/// <summary>Gives a numeric option the range it accepts: <c>new Option&lt;int&gt;("--top").AtLeast(1, "10")</c>.</summary>
internal static class ValueRanges
{
    /// <param name="example">A sensible value, shown in the error as "e.g. --option <paramref name="example"/>".</param>
    public static Option<T> AtLeast<T>(this Option<T> option, double min, string example) => option.Within(min, null, example);

    public static Option<T> Between<T>(this Option<T> option, double min, double max, string example) => option.Within(min, max, example);

    private static Option<T> Within<T>(this Option<T> option, double? min, double? max, string example)
    {
        var range = new ValueRange(min, max, example);
        ValueRange.Register(option, range);
        option.Validators.Add(result =>
        {
            // A token that is no number at all is the parser's conversion error, which ParseErrors words.
            foreach (var token in result.Tokens)
            {
                if (double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !range.Contains(value))
                {
                    result.AddError($"{OptionNames.Display(option)}: {token.Value} is out of range (expected {range}, e.g. {OptionNames.Shortest(option)} {example})");
                }
            }
        });
        return option;
    }
}
