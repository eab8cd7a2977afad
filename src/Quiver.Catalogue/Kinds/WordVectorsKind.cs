using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Models.Onnx;
using Quiver.Models.Static;

namespace Quiver.Catalogue;

/// <summary>Static word vectors (Quiver's binary format, SIF parameters, fastText n-grams), pooled per sentence.</summary>
internal sealed class WordVectorsKind : ModelKind
{
    public override string Name => WordVectorModel.Kind;

    public override bool OpensAsText => true;

    public override string? VocabularyUnit => "words";

    internal override ITextEncoder OpenText(string folder, ModelManifest manifest, string? pooling, TransformerEncoderOptions? options, TextRole? role, string? promptName)
    {
        RefusePromptName(manifest, promptName);
        var staticPooling = StaticPooling.Sif;
        if (pooling is not null && !Enum.TryParse(pooling, ignoreCase: true, out staticPooling))
        {
            throw new QuiverException($"'{pooling}' is not a pooling for the word-vector model '{manifest.Name}'; use sif or mean.");
        }

        return WordVectorModel.Load(folder, manifest).CreateTextEncoder(staticPooling);
    }
}
