using Quiver.Core;

namespace Quiver.Catalogue;

/// <summary>The kinds of installed model Quiver knows, by the name model.json records; the only place kind names are compared.</summary>
public static class ModelKinds
{
    public static ModelKind Transformer { get; } = new TransformerKind();

    public static ModelKind WordVectors { get; } = new WordVectorsKind();

    public static ModelKind Image { get; } = new ImageKind();

    public static ModelKind Doc2Vec { get; } = new Doc2VecKind();

    public static ModelKind Remote { get; } = new RemoteKind();

    public static IReadOnlyList<ModelKind> All { get; } = [Transformer, WordVectors, Doc2Vec, Remote, Image];

    /// <summary>The kind named <paramref name="name"/>; null when Quiver knows no such kind.</summary>
    public static ModelKind? Find(string? name) => All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));

    /// <summary>The kind of an installed model; refused when its manifest names a kind this Quiver does not know.</summary>
    public static ModelKind Of(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Find(manifest.Kind) ?? throw new QuiverException(
            $"The model '{manifest.Name}' is of kind '{manifest.Kind}', which this Quiver does not know (it knows {string.Join(", ", All)}). " +
            "Reinstall the model with --force, or use the Quiver that installed it.");
    }

    /// <summary>Refuses <paramref name="manifest"/> unless it is of <paramref name="kind"/>, saying what it is and what to do.</summary>
    internal static void Require(ModelManifest manifest, ModelKind kind, string need)
    {
        if (Of(manifest) != kind)
        {
            throw new QuiverException($"The model '{manifest.Name}' is a {manifest.Kind} model; {need}");
        }
    }
}
