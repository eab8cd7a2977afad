using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Models.Onnx;

namespace Quiver.Catalogue;

/// <summary>
/// A kind of installed model (the "kind" in its model.json): what it opens as and how it opens an installed folder,
/// reading the folder once. <see cref="ModelKinds"/> holds every kind Quiver knows.
/// </summary>
public abstract class ModelKind
{
    private protected ModelKind()
    {
    }

    /// <summary>The kind's name as model.json records it.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the kind opens as a text encoder (<see cref="InstalledModels.OpenTextEncoder"/>).</summary>
    public virtual bool OpensAsText => false;

    /// <summary>Whether the kind opens as an image model (<see cref="InstalledModels.OpenImage"/>).</summary>
    public virtual bool OpensAsImage => false;

    /// <summary>Whether the kind's models name prompts and take a prompt of the caller's own (transformers).</summary>
    public virtual bool TakesPrompts => false;

    /// <summary>What a manifest's <see cref="ModelManifest.Words"/> counts for this kind ("tokens", "words"); null when nothing.</summary>
    public virtual string? VocabularyUnit => null;

    public override string ToString() => Name;

    /// <summary>Refuses a prompt name for a kind without prompts, saying which kinds have them.</summary>
    private protected static void RefusePromptName(ModelManifest manifest, string? promptName)
    {
        if (promptName is not null)
        {
            throw new QuiverException($"The model '{manifest.Name}' is a {manifest.Kind} model and names no prompts, so it has no prompt '{promptName}'; named prompts belong to transformer models.");
        }
    }

    /// <summary>Opens the installed <paramref name="folder"/> of this kind as a text encoder.</summary>
    /// <remarks><paramref name="promptName"/> names one of the model's prompts, put before each text; kinds without prompts refuse it.</remarks>
    internal virtual ITextEncoder OpenText(string folder, ModelManifest manifest, string? pooling, TransformerEncoderOptions? options, TextRole? role, string? promptName) =>
        throw new QuiverException(
            $"The model '{manifest.Name}' is a {Name} model, not a text model; this needs a text model ({string.Join(", ", ModelKinds.All.Where(k => k.OpensAsText))}). " +
            "quiver models list shows each model's kind.");
}
