using System.Collections.Concurrent;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Server.Http;

namespace Quiver.Server.Embeddings;

/// <summary>The text models this server has opened, by name, each opened once on first use and kept for the server's life.</summary>
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
        var lazy = _open.GetOrAdd(name, n => new Lazy<ServedModel>(() => ServedModel.Open(n, options), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A model that failed to open (not installed, say) is tried again next time.
            _open.TryRemove(new KeyValuePair<string, Lazy<ServedModel>>(name, lazy));
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
