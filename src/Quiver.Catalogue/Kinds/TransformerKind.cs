using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Models.Onnx;

namespace Quiver.Catalogue;

/// <summary>Transformer text models on ONNX Runtime, in the Hugging Face folder layout.</summary>
internal sealed class TransformerKind : ModelKind
{
    public override string Name => TransformerModel.Kind;

    public override bool OpensAsText => true;

    public override string? VocabularyUnit => "tokens";

    internal override ITextEncoder OpenText(string folder, ModelManifest manifest, string? pooling, TransformerEncoderOptions? options, TextRole? role) =>
        new TransformerModel(manifest, TransformerModelFolder.Load(folder)).CreateTextEncoder(
            (options ?? new TransformerEncoderOptions()) with { Pooling = TransformerModel.ParsePooling(pooling) ?? options?.Pooling },
            role);
}
