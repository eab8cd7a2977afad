using System.Collections.Concurrent;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Server.Http;

namespace Quiver.Server.Embeddings;

/// <summary>
/// The text models this server has opened, by name (and variant, where a collection needs another than the model's
/// own), each opened once on first use and kept for the server's life.
/// </summary>
internal sealed class ServedModels(ServerOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ServedModel>> _open = new(StringComparer.Ordinal);

    public QuiverPaths Paths { get; } = options.Paths;

    /// <summary>The model used when a request names none.</summary>
    public string DefaultModel => options.DefaultModel ?? ModelCatalogue.DefaultTextModel(Paths);

    public IEnumerable<ServedModel> Opened => _open.Values.Where(l => l.IsValueCreated).Select(l => l.Value);

    /// <summary>The installed text models (what /v1/models lists).</summary>
    public IReadOnlyList<ModelManifest> Installed() =>
        [.. InstalledModels.List(Paths).Where(m => ModelKinds.Find(m.Kind)?.OpensAsText == true)];

    public ServedModel Get(string? name)
    {
        // Absent means the default; an empty name is more likely a client's unset variable than a wish for it.
        if (name is "")
        {
            throw ApiException.BadRequest("is empty; name an installed model (GET /v1/models lists them) or leave the field out for the server's default.", "model");
        }

        name ??= DefaultModel;
        ResourceName.Validate(name, "model");
        return Open(name, name, variant: null);
    }

    /// <summary>
    /// The model <paramref name="name"/> with the <paramref name="variant"/> (pooling) a collection's space records:
    /// the model as /v1/embeddings serves it when that is its variant, else the model opened a second time with it.
    /// Without this a collection made with a pooling other than the model's own would be sent vectors of another space.
    /// </summary>
    public ServedModel Get(string name, string? variant)
    {
        var served = Get(name);
        return variant is null || served.Space.Model.Variant == variant ? served : Open($"{name}/{variant}", name, variant);
    }

    private ServedModel Open(string key, string name, string? variant)
    {
        var lazy = _open.GetOrAdd(key, _ => new Lazy<ServedModel>(() => ServedModel.Open(name, variant, options), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A model that failed to open (not installed, say) is tried again next time.
            _open.TryRemove(new KeyValuePair<string, Lazy<ServedModel>>(key, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var model in Opened)
        {
            model.Dispose();
        }
    }
}
