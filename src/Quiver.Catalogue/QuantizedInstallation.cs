using Quiver.Catalogue.Quantization;

namespace Quiver.Catalogue;

/// <summary>An installed int8 copy of a transformer model and what the quantiser changed in it.</summary>
public sealed record QuantizedInstallation(ModelManifest Manifest, QuantizationSummary Summary);
