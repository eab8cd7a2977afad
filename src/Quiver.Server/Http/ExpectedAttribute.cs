namespace Quiver.Server.Http;

/// <summary>
/// How a request error names what a request type or field takes when the body holds another JSON type in its place
/// ("must be a point object with id and vector, not a string"); without it, the JSON type ("an object").
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, Inherited = false)]
internal sealed class ExpectedAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}
