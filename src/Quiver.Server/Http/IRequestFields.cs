using System.Text.Json.Nodes;

namespace Quiver.Server.Http;

/// <summary>
/// The fields of one request object, read by name (<see cref="RequestJson"/>, parsed as each field is read), for the
/// routes not yet read as typed requests (<see cref="RequestBody"/>).
/// </summary>
internal interface IRequestFields
{
    /// <summary>The field <paramref name="name"/>, or null when the object has none (or it is null).</summary>
    JsonNode? this[string name] { get; }

    /// <summary>Where the field <paramref name="name"/> lies in the request, for error messages.</summary>
    string PathOf(string name);
}
