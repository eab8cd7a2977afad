using Quiver.Training.Corpus;

namespace Quiver.Training.Tests;

/// <summary>An in-memory corpus for tests; parts are contiguous slices of the sentence list.</summary>
internal sealed class ListCorpus(IReadOnlyList<string[]> sentences) : ISentenceCorpus
{
    public IEnumerable<IReadOnlyList<string>> Read(int part, int parts, CancellationToken cancellationToken = default)
    {
        var start = sentences.Count * part / parts;
        var end = sentences.Count * (part + 1) / parts;
        for (var i = start; i < end; i++)
        {
            yield return sentences[i];
        }
    }
}
