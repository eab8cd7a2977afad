namespace Quiver.Server.Operations;

/// <summary>
/// Marks a type that stands in the OpenAPI document for a JSON value of several shapes (a string or an array, a
/// vector or a document): its schema is the list of its alternatives' schemas. Handlers read such values from JSON
/// by hand; the type exists only so the document says what they accept.
/// </summary>
/// <param name="alternatives">The shapes the value may take, each as a type the document describes.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class UnionAttribute(params Type[] alternatives) : Attribute
{
    public IReadOnlyList<Type> Alternatives { get; } = alternatives;

    /// <summary>Whether one value can match more than one alternative (anyOf rather than oneOf).</summary>
    public bool Overlapping { get; init; }
}
