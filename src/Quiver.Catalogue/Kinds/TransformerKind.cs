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

    public override bool TakesPrompts => true;

    internal override ITextEncoder OpenText(string folder, ModelManifest manifest, string? pooling, TransformerEncoderOptions? options, TextRole? role, string? promptName)
    {
        var model = new TransformerModel(manifest, TransformerModelFolder.Load(folder));
        options = (options ?? new TransformerEncoderOptions()) with { Pooling = TransformerModel.ParsePooling(pooling) ?? options?.Pooling };
        if (promptName is not null)
        {
            options = options with { Prompt = model.Folder.NamedPrompt(promptName, manifest.Name) };
        }

        return model.CreateTextEncoder(options, role);
    }
}
