namespace Quiver.Catalogue;

/// <summary>Image models on ONNX Runtime with their preprocessing (SkiaSharp).</summary>
internal sealed class ImageKind : ModelKind
{
    public override string Name => ImageModel.Kind;

    public override bool OpensAsImage => true;
}
