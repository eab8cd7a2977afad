using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Training.Documents;

namespace Quiver.Cli;

/// <summary>
/// Opens any installed text model as a generator: what Models knows (transformers, word vectors) and what
/// Training adds (Doc2Vec), which Models cannot reference.
/// </summary>
internal static class TextModels
{
    /// <summary>
    /// A generator for texts in <paramref name="role"/>: a transformer puts its prompt for that role before each text
    /// (unless <paramref name="options"/> sets one); other kinds have no prompts.
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Open(QuiverPaths paths, string name, string? pooling = null, TextRole? role = null, TransformerEncoderOptions? options = null) =>
        InstalledModels.Manifest(paths, name).Kind == Doc2VecFolder.Kind
            ? Doc2VecFolder.OpenGenerator(paths, name)
            : InstalledModels.OpenTextGenerator(paths, name, pooling, options, role);
}
