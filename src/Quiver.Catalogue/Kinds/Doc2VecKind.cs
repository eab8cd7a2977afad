using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Models.Onnx;
using Quiver.Training.Documents;

namespace Quiver.Catalogue;

/// <summary>Doc2Vec models trained with <c>quiver train doc2vec</c>: a text's vector is inferred from its words.</summary>
internal sealed class Doc2VecKind : ModelKind
{
    public override string Name => Doc2VecFolder.Kind;

    public override bool OpensAsText => true;

    public override string? VocabularyUnit => "words";

    internal override ITextEncoder OpenText(string folder, ModelManifest manifest, string? pooling, TransformerEncoderOptions? options, TextRole? role, string? promptName)
    {
        RefusePromptName(manifest, promptName);
        if (pooling is not null)
        {
            throw new QuiverException($"'{manifest.Name}' is a Doc2Vec model: it infers one vector per text, so the pooling '{pooling}' does not apply. Leave the pooling unset.");
        }

        return new Doc2VecTextEncoder(Doc2VecFiles.Read(folder), manifest.Name, manifest.Revision, manifest.Lowercase);
    }
}
