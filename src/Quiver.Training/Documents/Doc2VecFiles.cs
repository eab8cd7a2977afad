using System.Runtime.InteropServices;
using System.Text.Json;
using Quiver.Core;
using Quiver.Models.Static;
using Quiver.Training.Words;

namespace Quiver.Training.Documents;

/// <summary>
/// A trained Doc2Vec model's files in one folder: doc2vec.json (settings and counts), words.qvec (word rows), and raw
/// little-endian float32 files for the output rows and document vectors. The catalogue installs and opens the folder.
/// </summary>
public static class Doc2VecFiles
{
    private const string SettingsFile = "doc2vec.json";

    /// <summary>Writes every file of <paramref name="model"/> into <paramref name="folder"/>, which must exist.</summary>
    public static void Write(string folder, Doc2VecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var settings = new Settings(model.Options.Mode, model.Options.TrainWords, model.Options.Word2Vec, model.Options.InferEpochs, model.Vocabulary.Counts.ToArray());
        File.WriteAllText(Path.Combine(folder, SettingsFile), JsonSerializer.Serialize(settings));
        WordVectorFile.Write(Path.Combine(folder, "words.qvec"), model.Words);
        WriteFloats(Path.Combine(folder, "output-negative.f32"), model.OutputNegative);
        WriteFloats(Path.Combine(folder, "output-softmax.f32"), model.OutputSoftmax);
        WriteFloats(Path.Combine(folder, "documents.f32"), Enumerable.Range(0, model.DocumentCount).SelectMany(i => model.DocumentVector(i).ToArray()).ToArray());
    }

    /// <summary>Reads the model <see cref="Write"/> wrote into <paramref name="folder"/>.</summary>
    public static Doc2VecModel Read(string folder)
    {
        var path = Path.Combine(folder, SettingsFile);
        Settings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new StoredDataException(path, $"{path} is not valid JSON ({e.Message}). Train the model again (quiver train doc2vec ... --force).", e);
        }

        if (settings is null)
        {
            throw new StoredDataException(path, $"{path} is empty. Train the model again.");
        }
        var words = WordVectorFile.Read(Path.Combine(folder, "words.qvec"));
        var options = new Doc2VecOptions { Mode = settings.Mode, TrainWords = settings.TrainWords, Word2Vec = settings.Word2Vec, InferEpochs = settings.InferEpochs };
        var vocabulary = new Vocabulary(words.Words, settings.Counts);
        return new Doc2VecModel(
            options,
            vocabulary,
            words.Table.ToArray(),
            ReadFloats(Path.Combine(folder, "documents.f32")) ?? [],
            ReadFloats(Path.Combine(folder, "output-negative.f32")),
            ReadFloats(Path.Combine(folder, "output-softmax.f32")),
            new TrainingSummary(vocabulary.Count, vocabulary.TotalCount, options.Word2Vec.Epochs, 0, TimeSpan.Zero, TimeSpan.Zero));
    }

    private static void WriteFloats(string path, float[]? values)
    {
        if (values is not null)
        {
            File.WriteAllBytes(path, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }
    }

    private static float[]? ReadFloats(string path) =>
        File.Exists(path) ? MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray() : null;

    private sealed record Settings(Doc2VecMode Mode, bool TrainWords, Word2VecOptions Word2Vec, int? InferEpochs, long[] Counts);
}
