using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Quiver.Cli.Parsing;

/// <summary>
/// The numbers an option accepts. Checked when the command line is parsed, so that a value out of range is refused
/// naming the option and an example, before a library refuses it naming one of its own parameters instead.
/// </summary>
internal sealed record ValueRange(double? Min, double? Max, string Example)
{
    private static readonly ConditionalWeakTable<Symbol, ValueRange> Ranges = new();

    /// <summary>The range an option was given with <see cref="ValueRanges"/>, if any.</summary>
    public static ValueRange? Of(Symbol symbol) => Ranges.TryGetValue(symbol, out var range) ? range : null;

    public static void Register(Symbol symbol, ValueRange range) => Ranges.AddOrUpdate(symbol, range);

    public bool Contains(double value) => value >= (Min ?? double.NegativeInfinity) && value <= (Max ?? double.PositiveInfinity);

    /// <summary>"1 or more", "0 to 1", "at most 5".</summary>
    public override string ToString() => (Min, Max) switch
    {
        ({ } min, { } max) => $"{Format(min)} to {Format(max)}",
        ({ } min, null) => $"{Format(min)} or more",
        (null, { } max) => $"at most {Format(max)}",
        _ => "any number",
    };

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
