using Quiver.Core;
using Quiver.Models.Remote;

namespace Quiver.Catalogue;

/// <summary>Registration of remote models: an OpenAI-compatible endpoint, called once to learn what it gives.</summary>
public sealed partial class ModelInstaller
{
    // Two inputs, so that the first call also shows one vector per input and one size for all.
    private static readonly string[] RemoteProbe = ["Quiver checks that the endpoint answers.", "A second text, to see one vector per input."];

    /// <summary>
    /// Registers an OpenAI-compatible embeddings endpoint as model NAME: calls it once to learn its dimensions (checked
    /// against <paramref name="dimensions"/> when given) and whether its vectors are unit length, then writes
    /// model.json and remote.json. Nothing is stored when the endpoint cannot be reached or answers wrongly.
    /// </summary>
    public async Task<ModelManifest> AddRemoteAsync(string name, RemoteEndpoint endpoint, int? dimensions, bool force, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ValidateName(name);
        _ = FolderToInstall(name, force);

        if (dimensions is < 1)
        {
            throw new QuiverException($"--dimensions {dimensions} is not positive. Pass the size of the provider's vectors, or leave it out to take what the endpoint answers.");
        }

        progress?.Report(new InstallProgress($"calling {endpoint.BaseUrl} once"));
        List<float[]> vectors;
        using (var client = new RemoteEmbeddingClient(name, endpoint))
        {
            (vectors, _) = await client.EmbedAsync(RemoteProbe, dimensions: null, cancellationToken);
        }

        var given = vectors[0].Length;
        if (dimensions is { } expected && expected != given)
        {
            throw new QuiverException(
                $"{endpoint.BaseUrl} answered {given}-dimensional vectors for the model '{endpoint.Model}', but --dimensions says {expected}. " +
                $"Pass --dimensions {given}, or leave it out.");
        }

        // Unit length within float rounding: the space records it, so that shortened vectors are renormalised.
        var normalized = vectors.All(v => Math.Abs(Math.Sqrt(v.Sum(x => (double)x * x)) - 1) <= 1e-3);
        var manifest = new ModelManifest
        {
            Name = name,
            Kind = RemoteModel.Kind,
            Description = $"OpenAI-compatible endpoint, model {endpoint.Model}" + (normalized ? ", normalised" : string.Empty),
            Dimensions = given,
            Revision = RemoteModel.ComputeRevision(endpoint, given),
            Source = $"openai:{endpoint.BaseUrl} model:{endpoint.Model}",
            License = "as given by the provider",
            Lowercase = false,
            InstalledAt = DateTimeOffset.UtcNow,
        };

        using (var staging = ModelStaging.Begin(paths, name))
        {
            RemoteModel.WriteSettings(staging.Folder, endpoint, normalized);
            staging.Commit(manifest);
        }

        progress?.Report(new InstallProgress("added", 1));
        return manifest;
    }
}
