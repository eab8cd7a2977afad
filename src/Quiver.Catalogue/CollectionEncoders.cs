using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models.Images;
using Quiver.Models.Onnx;

namespace Quiver.Catalogue;

/// <summary>
/// Opens the encoder of a collection's vectors from the collection's space alone: the installed model the space's
/// <see cref="ModelReference"/> names, with the space's variant (its pooling) and the prompt the space recorded for the
/// role, then checked against the space's revision and dimensions. The one place a collection leads to its model, so
/// the CLI, the server and re-embedding open it the same way.
/// </summary>
public static class CollectionEncoders
{
    /// <summary>
    /// The text encoder that makes vectors of <paramref name="space"/> for texts in <paramref name="role"/>. Refused,
    /// naming both spaces, when the model installed under the space's name no longer makes them (reinstalled with other
    /// files, replaced by another model of the same name).
    /// </summary>
    /// <param name="collection">The collection's name, for messages.</param>
    public static IEmbeddingGenerator<string, Embedding<float>> OpenText(QuiverPaths paths, string collection, EmbeddingSpace space, TextRole role)
    {
        RequireTextModel(paths, collection, space, role == TextRole.Query ? "install that model or search it with vectors instead" : "install that model or send vectors instead of text");
        var generator = Open(paths, space, role, variant: null);
        try
        {
            EnsureInstalledMatches(collection, space, generator.GetService<EmbeddingSpace>()
                ?? throw new InvalidOperationException($"The generator of '{space.Model.Name}' does not say its embedding space."));
        }
        catch
        {
            generator.Dispose();
            throw;
        }

        return generator;
    }

    /// <summary>
    /// The text encoder of the model <paramref name="space"/> names as it is installed now, whatever its revision: what
    /// re-embedding needs after the model was reinstalled. The space's variant is kept unless
    /// <paramref name="variant"/> names another; the recorded prompt for the role is kept either way.
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>> OpenInstalledText(
        QuiverPaths paths, string collection, EmbeddingSpace space, TextRole role, string? variant = null)
    {
        RequireTextModel(paths, collection, space, "install that model or name another for the new vectors");
        return Open(paths, space, role, variant);
    }

    /// <summary>The image encoder that makes vectors of <paramref name="space"/>, refused like <see cref="OpenText"/> when the installed model no longer does.</summary>
    public static ImageEmbeddingGenerator OpenImage(QuiverPaths paths, string collection, EmbeddingSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (!space.Model.IsImage)
        {
            throw new QuiverException($"Collection '{collection}' holds text vectors ({space}); search it with a text query, not an image.");
        }

        var generator = InstalledModels.OpenImage(paths, space.Model.Name).CreateGenerator();
        try
        {
            EnsureInstalledMatches(collection, space, generator.Space);
        }
        catch
        {
            generator.Dispose();
            throw;
        }

        return generator;
    }

    /// <summary>
    /// Refuses an installed model whose vectors are not of the collection's space, naming both: the collection's
    /// vectors and the model's would not be comparable. When only the revision differs, the model was reinstalled or
    /// replaced under the same name, and the message says how to bring the collection over to it.
    /// </summary>
    public static void EnsureInstalledMatches(string collection, EmbeddingSpace space, EmbeddingSpace installed)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(installed);
        var context = $"Collection '{collection}'";
        if (installed.Model with { Revision = space.Model.Revision } == space.Model)
        {
            space.EnsureAccepts(
                installed,
                context,
                $"The model installed as '{installed.Model.Name}' is not the one the collection's vectors were made with (it was reinstalled or replaced): " +
                $"re-embed the collection with it (quiver collections reembed {collection}), or reinstall the revision {space.Model.Revision} of '{space.Model.Name}'.");
        }
        else
        {
            space.EnsureAccepts(installed, context);
        }
    }

    private static void RequireTextModel(QuiverPaths paths, string collection, EmbeddingSpace space, string remedy)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.IsRaw || space.Model.IsImage || !InstalledModels.IsInstalled(paths, space.Model.Name))
        {
            throw new QuiverException($"Collection '{collection}' holds vectors from {space}, which no installed text model produces; {remedy}.");
        }
    }

    private static IEmbeddingGenerator<string, Embedding<float>> Open(QuiverPaths paths, EmbeddingSpace space, TextRole role, string? variant)
    {
        var model = space.Model;

        // An empty prompt where the space recorded none: the vectors were made without one, whatever the model names now.
        // Kinds without prompts (word vectors, Doc2Vec) ignore the options; the folder is read once, by the kind.
        var options = new TransformerEncoderOptions { Prompt = space.PromptFor(role) ?? string.Empty };
        return InstalledModels.OpenTextGenerator(paths, model.Name, variant ?? model.Variant, options, role);
    }
}
