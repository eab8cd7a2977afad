namespace Quiver.Core.Spaces;

/// <summary>
/// Which model made a space's vectors: the installed model's <see cref="Name"/>, the <see cref="Variant"/> of its
/// output, and the <see cref="Revision"/> of its files. The variant is how the model turns its output into one vector
/// per input: the pooling of a text model ("mean", "cls", "max", "last-token", "pooled" for a graph that pools itself,
/// "sif" for word vectors) or "image" for an image model; null for a model with a single way, such as a remote or a
/// Doc2Vec model. The revision is a content hash of the model's files, extended when the vectors are shortened or a
/// caller's own prompt changes them.
/// </summary>
public sealed record ModelReference
{
    /// <summary>The variant of an image model's vectors.</summary>
    public const string ImageVariant = "image";

    public ModelReference(string name, string? variant, string revision)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(revision);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The model name '{name}' holds a '/', which separates the name from the variant; give the variant on its own.", nameof(name));
        }

        if (variant is "")
        {
            throw new ArgumentException($"The variant of model '{name}' is empty; give null for a model with a single variant.", nameof(variant));
        }

        Name = name;
        Variant = variant;
        Revision = revision;
    }

    /// <summary>The stand-in for vectors the caller brings without a model.</summary>
    public static ModelReference Raw { get; } = new("raw", null, "-");

    /// <summary>The installed model's name (its folder under QUIVER_HOME/models).</summary>
    public string Name { get; init; }

    public string? Variant { get; init; }

    public string Revision { get; init; }

    public bool IsRaw => this == Raw;

    public bool IsImage => Variant == ImageVariant;

    /// <summary>
    /// The model and variant as one string ("minilm/mean", "glove-100/sif", "mobilenet-v2/image", "far", "raw"): what a
    /// collection has always stored and what the HTTP answers show. Read back only by <see cref="Parse"/>.
    /// </summary>
    public string Id => Variant is null ? Name : $"{Name}/{Variant}";

    /// <summary>
    /// Reads the string form <see cref="Id"/> back, where spaces are stored (a collection's metadata, a classifier's
    /// manifest, a cluster's layout): the name is what comes before the first '/', the variant what follows it.
    /// </summary>
    public static ModelReference Parse(string id, string revision)
    {
        ArgumentNullException.ThrowIfNull(id);
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        if (id.Length == 0 || slash == 0 || slash == id.Length - 1)
        {
            throw new FormatException($"'{id}' does not name a model; a model id is NAME or NAME/VARIANT (such as minilm/mean).");
        }

        return slash < 0 ? new ModelReference(id, null, revision) : new ModelReference(id[..slash], id[(slash + 1)..], revision);
    }

    public override string ToString() => $"{Id}@{(Revision.Length > 12 ? Revision[..12] : Revision)}";
}
