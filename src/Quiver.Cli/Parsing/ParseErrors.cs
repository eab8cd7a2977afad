using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Quiver.Cli.Parsing;

/// <summary>
/// Words a command line that did not parse as one line per problem: the option or verb, the value given, what it
/// accepts and where to look. System.CommandLine's own messages name .NET types ("expected type 'System.Int32'") and
/// come after the whole help text, which buries the one line that matters.
/// </summary>
internal static class ParseErrors
{
    public static IReadOnlyList<string> Describe(ParseResult result)
    {
        var path = CommandPath(result.CommandResult);

        // An unknown word makes every later complaint ("required command was not provided") a consequence of it.
        if (result.UnmatchedTokens.Count > 0)
        {
            return [Unmatched(result.UnmatchedTokens[0], result.CommandResult, path)];
        }

        var lines = new List<string>();
        foreach (var error in result.Errors)
        {
            var line = error.SymbolResult switch
            {
                OptionResult { Tokens.Count: 0, Option.Required: true } option => $"{path}: {OptionNames.Display(option.Option)} is required ({option.Option.Description}); {path} --help shows an example",
                OptionResult option => OptionValue(option.Option, option.Tokens, error.Message),
                ArgumentResult { Parent: OptionResult option } => OptionValue(option.Option, option.Tokens, error.Message),
                ArgumentResult { Tokens.Count: 0 } argument => $"{path}: missing <{argument.Argument.Name}> ({argument.Argument.Description}); {path} --help shows an example",
                ArgumentResult argument => ArgumentValue(argument, path, error.Message),
                CommandResult { Command: { Action: null, Subcommands.Count: > 0 } command } => $"{path} needs a verb: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} ({path} --help explains them)",
                _ => $"{error.Message.TrimEnd('.')} ({path} --help shows its usage)",
            };
            if (!lines.Contains(line))
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private static string Unmatched(string token, CommandResult at, string path)
    {
        var command = at.Command;
        if (token.StartsWith('-') && token.Length > 1)
        {
            var typed = token.Split('=', ':')[0];
            var options = VisibleOptions(at).SelectMany(OptionNames.Spellings).Where(s => s.StartsWith('-'));
            return $"{path}: unknown option '{typed}'{Suggestions.DidYouMean(Suggestions.Closest(typed, options))} ({path} --help lists its options)";
        }

        if (command.Subcommands.Count > 0)
        {
            var verbs = command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Append(c.Name));
            var where = at.Parent is null ? string.Empty : $" for '{path}'";
            var list = at.Parent is null ? "quiver --help lists all verbs" : $"{path} --help lists its verbs";
            return $"unknown verb '{token}'{where}{Suggestions.DidYouMean(Suggestions.Closest(token, verbs))} ({list})";
        }

        return $"{path}: unexpected argument '{token}' (a text with spaces goes in quotes; {path} --help shows its usage)";
    }

    /// <summary>The options a command accepts: its own and those its parents share with every verb below them (--json).</summary>
    private static IEnumerable<Option> VisibleOptions(CommandResult at)
    {
        IEnumerable<Option> options = at.Command.Options;
        for (var parent = at.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            options = options.Concat(parent.Command.Options.Where(o => o.Recursive));
        }

        return options.Where(o => !o.Hidden);
    }

    private static string OptionValue(Option option, IReadOnlyList<Token> tokens, string message)
    {
        var name = OptionNames.Display(option);
        var bad = tokens.FirstOrDefault(t => !Parses(t.Value, option.ValueType));
        if (bad is null)
        {
            // The option's own validator (ValueRanges) already wrote the whole line.
            return message.StartsWith(name, StringComparison.Ordinal) ? message : $"{name}: {message.TrimEnd('.')}";
        }

        var range = ValueRange.Of(option);
        var example = range?.Example ?? DefaultOf(option) ?? FirstNameOf(option.ValueType);
        var hint = (range, example) switch
        {
            (not null, _) => $" (expected {range}, e.g. {OptionNames.Shortest(option)} {example})",
            (null, not null) => $" (e.g. {OptionNames.Shortest(option)} {example})",
            _ => string.Empty,
        };
        return $"{name}: '{bad.Value}' is not {Expected(option.ValueType)}{hint}";
    }

    private static string ArgumentValue(ArgumentResult argument, string path, string message)
    {
        var bad = argument.Tokens.FirstOrDefault(t => !Parses(t.Value, argument.Argument.ValueType));
        return bad is null
            ? $"{path} <{argument.Argument.Name}>: {message.TrimEnd('.')}"
            : $"{path} <{argument.Argument.Name}>: '{bad.Value}' is not {Expected(argument.Argument.ValueType)}";
    }

    private static string? DefaultOf(Option option) =>
        option.HasDefaultValue && option.GetDefaultValue() is { } value and not bool
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;

    // An enum option without a default (its default depends on the input) still gets an example: its first value.
    private static string? FirstNameOf(Type type) =>
        ElementType(type) is { IsEnum: true } element ? Enum.GetNames(element)[0] : null;

    /// <summary>The type one token is read as: an array's element, a nullable's underlying type.</summary>
    private static Type ElementType(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        return Nullable.GetUnderlyingType(element) ?? element;
    }

    private static bool Parses(string value, Type type)
    {
        var t = ElementType(type);
        return Type.GetTypeCode(t) switch
        {
            _ when t.IsEnum => Enum.TryParse(t, value, ignoreCase: true, out _),
            TypeCode.Int32 => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            TypeCode.Int64 => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            TypeCode.UInt64 => ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            TypeCode.Single or TypeCode.Double => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            TypeCode.Boolean => bool.TryParse(value, out _),
            _ => true,
        };
    }

    private static string Expected(Type type)
    {
        var t = ElementType(type);
        return Type.GetTypeCode(t) switch
        {
            _ when t.IsEnum => $"one of {string.Join(", ", Enum.GetNames(t))}",
            TypeCode.Int32 or TypeCode.Int64 => "a whole number",
            TypeCode.UInt64 => "a whole number (0 or more)",
            TypeCode.Single or TypeCode.Double => "a number",
            TypeCode.Boolean => "true or false",
            _ => "a value it accepts",
        };
    }

    /// <summary>"quiver models install": the verbs from the root down, whatever the executable is called.</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? at = command; at is CommandResult c; at = c.Parent)
        {
            names.Add(c.Parent is null ? "quiver" : c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
