using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Models.Catalogue;
using Quiver.Training.Documents;

namespace Quiver.Cli;

/// <summary>
/// Opens any installed text model as a generator: what Models knows (transformers, word vectors) and what
/// Training adds (Doc2Vec), which Models cannot reference.
/// </summary>
internal static class TextModels
{
    public static IEmbeddingGenerator<string, Embedding<float>> Open(QuiverPaths paths, string name, string? pooling = null) =>
        InstalledModels.Manifest(paths, name).Kind == Doc2VecFolder.Kind
            ? Doc2VecFolder.OpenGenerator(paths, name)
            : InstalledModels.OpenTextGenerator(paths, name, pooling);
}
