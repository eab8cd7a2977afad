using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Core;
using Spectre.Console;

namespace Quiver.Cli;

/// <summary>Where a command reads its settings and writes its output; tests give it string writers.</summary>
internal sealed class CliContext
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // An accuracy over zero answered questions is NaN; JSON has no NaN, so it is written as the string "NaN".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new OneLineVectorConverter() },
    };

    /// <param name="terminal">Whether the writers are a terminal (colours, live progress); redirected streams get plain text.</param>
    public CliContext(QuiverPaths paths, TextWriter output, TextWriter error, bool terminal)
        : this(paths, output, error, terminal, terminal)
    {
    }

    private readonly bool _errorIsTerminal;

    private CliContext(QuiverPaths paths, TextWriter output, TextWriter error, bool outputIsTerminal, bool errorIsTerminal)
    {
        _errorIsTerminal = errorIsTerminal;
        Paths = paths;
        Output = output;
        Error = error;
        Console = CreateConsole(output, outputIsTerminal);
        ErrorConsole = CreateConsole(error, errorIsTerminal);
    }

    public QuiverPaths Paths { get; }

    /// <summary>Raw standard output, for JSON.</summary>
    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>Human-readable output (tables, text).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Progress and errors, so that standard output stays clean for --json.</summary>
    public IAnsiConsole ErrorConsole { get; }

    public static CliContext FromEnvironment() =>
        new(QuiverPaths.FromEnvironment(), System.Console.Out, System.Console.Error, !System.Console.IsOutputRedirected, !System.Console.IsErrorRedirected);

    public void WriteJson<T>(T value)
    {
        Output.WriteLine(JsonSerializer.Serialize(value, Json));
        Output.Flush();
    }

    /// <summary>
    /// "error: ..." on standard error: red on a terminal; plain and never wrapped when redirected, so that a script or
    /// log gets the whole message on one line.
    /// </summary>
    public void WriteError(string message)
    {
        if (_errorIsTerminal)
        {
            ErrorConsole.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
            return;
        }

        Error.WriteLine($"error: {message}");
        Error.Flush();
    }

    /// <summary>A one-line progress note on standard error.</summary>
    public void Note(string message) => ErrorConsole.MarkupLine($"[grey]› {Markup.Escape(message)}[/]");

    private static IAnsiConsole CreateConsole(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Redirected output is read by scripts and logs: wide enough that tables do not wrap.
            console.Profile.Width = 160;
        }

        return console;
    }
}
