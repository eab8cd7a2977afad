using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Models.Onnx;

namespace Quiver.Catalogue;

/// <summary>OpenAI-compatible embeddings endpoints registered under a Quiver name (<c>quiver models add</c>).</summary>
internal sealed class RemoteKind : ModelKind
{
    public override string Name => RemoteModel.Kind;

    public override bool OpensAsText => true;

    internal override ITextEncoder OpenText(string folder, ModelManifest manifest, string? pooling, TransformerEncoderOptions? options, TextRole? role, string? promptName)
    {
        RefusePromptName(manifest, promptName);
        return RemoteModel.Load(folder, manifest).CreateTextEncoder(pooling, options);
    }
}
