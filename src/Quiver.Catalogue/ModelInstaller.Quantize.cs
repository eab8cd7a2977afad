using Quiver.Core;
using Quiver.Catalogue.Quantization;

namespace Quiver.Catalogue;

/// <summary>Installation of int8 copies of installed transformer models.</summary>
public sealed partial class ModelInstaller
{
    /// <summary>
    /// Installs a dynamically quantised copy of the transformer model <paramref name="sourceName"/> as
    /// <paramref name="targetName"/>: the same tokenizer, configuration and pooling, and a model.onnx whose dense
    /// layers multiply in int8. The copy is a model of its own, with its own revision and so its own embedding space;
    /// its manifest's source names the model and revision it was made from.
    /// </summary>
    /// <remarks>
    /// The copy is built in a staging folder and swapped in only once it has run, so a failure leaves no model
    /// behind and an existing <paramref name="targetName"/> (with <paramref name="force"/>) untouched.
    /// </remarks>
    public QuantizedInstallation InstallQuantized(
        string sourceName, string targetName, DynamicQuantizationOptions? options, bool force, IProgress<InstallProgress>? progress)
    {
        ValidateName(targetName);
        var manifest = InstalledModels.Manifest(paths, sourceName);
        if (ModelKinds.Of(manifest) != ModelKinds.Transformer)
        {
            throw new QuiverException(
                $"The model '{sourceName}' is a {manifest.Kind} model; only transformer models (quiver models install <folder>) have weight matrices to quantise to int8.");
        }

        if (targetName == sourceName)
        {
            throw new QuiverException($"The quantised copy needs a name of its own; '{targetName}' is the model it is made from. Choose another name with -o.");
        }

        _ = FolderToInstall(targetName, force);

        options ??= new DynamicQuantizationOptions();
        var source = InstalledModels.OpenTransformer(paths, sourceName);
        using var staging = ModelStaging.Begin(paths, targetName);

        foreach (var file in source.Folder.Files.Where(f => f != source.Folder.ModelPath))
        {
            var copy = Path.Combine(staging.Folder, Path.GetRelativePath(source.Folder.Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        var model = Path.Combine(staging.Folder, Path.GetRelativePath(source.Folder.Folder, source.Folder.ModelPath));
        progress?.Report(new InstallProgress($"quantising {Path.GetRelativePath(source.Folder.Folder, source.Folder.ModelPath)} to int8"));
        var summary = OnnxDynamicQuantizer.QuantizeFile(source.Folder.ModelPath, model, options);
        progress?.Report(new InstallProgress(
            $"{summary.MatMuls} MatMul and {summary.Gemms} Gemm weight matrices in int8 ({summary.FloatWeightBytes / 1e6:F1} MB → {summary.QuantizedWeightBytes / 1e6:F1} MB), {summary.FloatMatMuls} products of activations left in float"));
        var description = $"int8 copy of {sourceName} (dynamic quantisation, {Describe(options)}): {manifest.Description}";
        var installed = RegisterTransformerFolder(targetName, staging, description, manifest.License, $"quantized from {sourceName}@{manifest.Revision}", progress);
        return new QuantizedInstallation(installed, summary);
    }

    private static string Describe(DynamicQuantizationOptions options) =>
        $"{(options.Granularity == QuantizationGranularity.PerChannel ? "per-channel" : "per-tensor")} weights in [-64, 64], {options.Formulation}";
}
