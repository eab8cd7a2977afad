namespace Quiver.Catalogue;

/// <summary>
/// npm's own reason for a failure, out of what it writes to standard error at <c>--loglevel=error</c>: the error
/// code and the first line that explains it, without the stack trace, the error object's fields or the log file path.
/// </summary>
internal static class NpmErrorOutput
{
    // npm 10 and later write "npm error", older ones "npm ERR!".
    private static readonly string[] Prefixes = ["npm error", "npm ERR!"];

    // Lines npm prints after the explanation, or that repeat the code in pieces.
    private static readonly string[] Noise = ["code ", "syscall ", "errno ", "at ", "A complete log", "{", "}", "If you are behind a proxy"];

    /// <summary>"CODE: explanation", the explanation alone, or "(npm printed nothing on standard error)".</summary>
    public static string Reason(string standardError)
    {
        ArgumentNullException.ThrowIfNull(standardError);
        var lines = standardError.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Prefixes.FirstOrDefault(p => line.StartsWith(p, StringComparison.Ordinal)) is { } prefix ? line[prefix.Length..].Trim() : line)
            .Where(line => line.Length > 0)
            .ToList();
        var code = lines.FirstOrDefault(line => line.StartsWith("code ", StringComparison.Ordinal))?["code ".Length..];
        var explanation = lines.FirstOrDefault(line => !Noise.Any(noise => line.StartsWith(noise, StringComparison.Ordinal)));
        var reason = (code, explanation) switch
        {
            (null, null) => lines.Count > 0 ? lines[0] : "(npm printed nothing on standard error)",
            (null, _) => explanation,
            (_, null) => code,
            _ => $"{code}: {explanation}",
        };

        // The caller ends the sentence.
        return reason.TrimEnd('.');
    }
}
