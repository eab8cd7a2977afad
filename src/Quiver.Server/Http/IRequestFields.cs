using System.Text.Json.Nodes;

namespace Quiver.Server.Http;

/// <summary>
/// The fields of one request object, read by name: the request body itself (<see cref="RequestJson"/>, parsed as
/// each field is read) or one entry of a batch inside it (<see cref="NestedFields"/>), so that a batch route runs the
/// same reads as its single route and its errors name the entry (<c>searches[2].limit</c>).
/// </summary>
internal interface IRequestFields
{
    /// <summary>The field <paramref name="name"/>, or null when the object has none (or it is null).</summary>
    JsonNode? this[string name] { get; }

    /// <summary>Where the field <paramref name="name"/> lies in the request, for error messages.</summary>
    string PathOf(string name);
}
