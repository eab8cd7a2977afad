using System.Text.Json;

namespace Quiver.Server.Http;

/// <summary>
/// A request value a converter refused, with the message the client sees. System.Text.Json adds where the converter
/// was reading (<c>$.points[0].vector</c>); <paramref name="suffix"/> goes further into that value (<c>[3]</c>), so
/// the error names the very item at fault.
/// </summary>
internal sealed class RequestFieldException(string message, string suffix = "") : JsonException(message)
{
    public string Suffix { get; } = suffix;

    /// <summary>"must be {expected}, not {what the request holds}.", as every route words a value of the wrong JSON type.</summary>
    public static RequestFieldException Wrong(string expected, JsonTokenType actual, string suffix = "") =>
        new($"must be {expected}, not {Describe(actual)}.", suffix);

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };
}
