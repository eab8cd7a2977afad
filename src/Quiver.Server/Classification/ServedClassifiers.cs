using System.Collections.Concurrent;
using Quiver.Analysis.Classification;
using Quiver.Server.Http;

namespace Quiver.Server.Classification;

/// <summary>
/// The saved classifiers this server has opened, by name; a classifier replaced on disk (trained again with
/// --force, or through PUT) is read again, noticed by its manifest's write time.
/// </summary>
internal sealed class ServedClassifiers(ServerOptions options)
{
    private readonly ConcurrentDictionary<string, (DateTime Written, SavedClassifier Classifier)> _open = new(StringComparer.Ordinal);

    public ClassifierStore Store { get; } = ClassifierStore.FromPaths(options.Paths);

    /// <summary>The classifier named <paramref name="name"/>; 404 when there is none.</summary>
    public SavedClassifier Get(string name)
    {
        Core.ResourceName.Validate(name, "classifier");
        var manifest = Path.Combine(Store.Folder, name, ClassifierManifest.FileName);
        if (!File.Exists(manifest))
        {
            throw ApiException.NotFound($"There is no classifier named '{name}'. GET /classifiers lists the saved ones; train one with PUT /classifiers/{name} or quiver classify train.", "name", "classifier_not_found");
        }

        var written = File.GetLastWriteTimeUtc(manifest);
        if (_open.TryGetValue(name, out var open) && open.Written == written)
        {
            return open.Classifier;
        }

        var classifier = Store.Open(name);
        _open[name] = (written, classifier);
        return classifier;
    }
}
