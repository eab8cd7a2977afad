using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Core;
using Quiver.Core.Npy;

namespace Quiver.Analysis.Classification;

/// <summary>
/// Saved classifiers, one folder each under QUIVER_HOME/classifiers: <c>classifier.json</c> (<see
/// cref="ClassifierManifest"/>) and <c>weights.npy</c>. A classifier is written whole into a hidden staging folder
/// and swapped in by renames, as models are installed, so a reader sees the old classifier or the new one and a
/// failed save leaves nothing behind.
/// </summary>
public sealed class ClassifierStore(string folder)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string Folder { get; } = folder;

    public static ClassifierStore FromPaths(QuiverPaths paths) => new(paths.Classifiers);

    public bool Exists(string name) => File.Exists(Path.Combine(Folder, name, ClassifierManifest.FileName));

    /// <summary>
    /// Saves <paramref name="classifier"/> (logistic regression or kNN) under <paramref name="manifest"/>'s name; an
    /// existing classifier of that name is refused unless <paramref name="replace"/>.
    /// </summary>
    public ClassifierManifest Save(ClassifierManifest manifest, IVectorClassifier classifier, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(classifier);
        ResourceName.Validate(manifest.Name, "classifier");
        var target = Path.Combine(Folder, manifest.Name);
        if (!replace && Directory.Exists(target))
        {
            throw new QuiverException($"A classifier named '{manifest.Name}' already exists in {Folder}. Choose another name with -o, or replace it with --force.");
        }

        Directory.CreateDirectory(Folder);
        var staging = Path.Combine(Folder, $".{manifest.Name}.saving-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            var weightsPath = Path.Combine(staging, manifest.Weights);
            IReadOnlyList<int>? rowLabels = null;
            switch (classifier)
            {
                case LogisticRegressionModel logistic:
                    WriteLogistic(weightsPath, logistic);
                    break;
                case KnnClassifier knn:
                    WriteRows(weightsPath, knn.UnitVectors, knn.Dimensions);
                    rowLabels = knn.RowLabels;
                    break;
                default:
                    throw new QuiverException($"A {manifest.Method} classifier has no weights to save; only logistic regression and kNN classifiers are saved.");
            }

            var saved = manifest with
            {
                Classes = classifier.Classes,
                RowLabels = rowLabels,
                WeightsSha256 = Sha256(weightsPath),
                CreatedAt = manifest.CreatedAt == default ? DateTimeOffset.UtcNow : manifest.CreatedAt,
            };
            File.WriteAllText(Path.Combine(staging, ClassifierManifest.FileName), JsonSerializer.Serialize(saved, Json));
            SwapIn(staging, target);
            return saved;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The manifests of the saved classifiers, by name.</summary>
    public IReadOnlyList<ClassifierManifest> List()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(Folder)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, ClassifierManifest.FileName)))
            .Select(d => ReadManifest(Path.GetFileName(d)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)];
    }

    public ClassifierManifest ReadManifest(string name)
    {
        ResourceName.Validate(name, "classifier");
        var path = Path.Combine(Folder, name, ClassifierManifest.FileName);
        if (!File.Exists(path))
        {
            var known = Directory.Exists(Folder)
                ? Directory.EnumerateDirectories(Folder).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList()
                : [];
            throw new QuiverException(
                $"There is no classifier named '{name}' in {Folder} (saved: {(known.Count == 0 ? "none" : string.Join(", ", known))}). Train one with quiver classify train FILE.csv -m MODEL -o {name}.");
        }

        try
        {
            return JsonSerializer.Deserialize<ClassifierManifest>(File.ReadAllText(path), Json)
                ?? throw new StoredDataException(path, $"{path} is empty. Train the classifier '{name}' again.");
        }
        catch (JsonException e)
        {
            throw new StoredDataException(path, $"{path} is not a classifier manifest ({e.Message}). Train the classifier '{name}' again.", e);
        }
    }

    /// <summary>The classifier named <paramref name="name"/>, its weights checked against the SHA-256 its manifest records.</summary>
    public SavedClassifier Open(string name)
    {
        var manifest = ReadManifest(name);
        var weightsPath = Path.Combine(Folder, name, manifest.Weights);
        if (!File.Exists(weightsPath) || Sha256(weightsPath) != manifest.WeightsSha256)
        {
            throw new StoredDataException(weightsPath, $"The weights of the classifier '{name}' ({weightsPath}) are missing or do not match the SHA-256 in its manifest. Train it again with --force.");
        }

        var (values, rows, columns) = NpyMatrixReader.Read(weightsPath);
        var dimensions = manifest.Space.Dimensions;
        IVectorClassifier classifier = manifest.Method switch
        {
            ClassifierMethod.Logistic when rows == manifest.Classes.Count && columns == dimensions + 1 => ReadLogistic(manifest, values, dimensions),
            ClassifierMethod.Knn when columns == dimensions && manifest.RowLabels is { } labels && labels.Count == rows && manifest.K is { } k =>
                KnnClassifier.FromUnitVectors(manifest.Classes, dimensions, values, [.. labels], k),
            _ => throw new StoredDataException(weightsPath, $"The classifier '{name}' ({weightsPath}) is inconsistent: a {manifest.Method} classifier of {manifest.Classes.Count} classes in {dimensions} dimensions with a {rows} × {columns} weights matrix. Train it again with --force."),
        };
        return new SavedClassifier(manifest, classifier);
    }

    private static LogisticRegressionModel ReadLogistic(ClassifierManifest manifest, float[] values, int dimensions)
    {
        var classes = manifest.Classes.Count;
        var weights = new float[classes * dimensions];
        var intercepts = new float[classes];
        for (var k = 0; k < classes; k++)
        {
            values.AsSpan(k * (dimensions + 1), dimensions).CopyTo(weights.AsSpan(k * dimensions));
            intercepts[k] = values[(k * (dimensions + 1)) + dimensions];
        }

        return new LogisticRegressionModel(manifest.Classes, dimensions, weights, intercepts);
    }

    // One row per class: its weights, then its intercept.
    private static void WriteLogistic(string path, LogisticRegressionModel model)
    {
        using var writer = NpyMatrixWriter.Create(path, model.Dimensions + 1);
        var row = new float[model.Dimensions + 1];
        for (var k = 0; k < model.Classes.Count; k++)
        {
            model.Weights.Slice(k * model.Dimensions, model.Dimensions).CopyTo(row);
            row[^1] = model.Intercepts[k];
            writer.Write(row);
        }

        writer.Flush();
    }

    private static void WriteRows(string path, ReadOnlySpan<float> values, int dimensions)
    {
        using var writer = NpyMatrixWriter.Create(path, dimensions);
        for (var i = 0; i < values.Length; i += dimensions)
        {
            writer.Write(values.Slice(i, dimensions));
        }

        writer.Flush();
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void SwapIn(string staging, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }

        var old = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
        Directory.Move(target, old);
        Directory.Move(staging, target);
        Directory.Delete(old, recursive: true);
    }
}
