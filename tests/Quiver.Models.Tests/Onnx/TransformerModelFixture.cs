using Quiver.Models.Pooling;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tests.Tokenization;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests.Onnx;

/// <summary>A small random-weight BERT (weights large enough that attention matters) with a BERT-layout test vocabulary.</summary>
public class TransformerModelFixture : IDisposable
{
    private readonly TemporaryFolder _root = new();

    public TransformerModelFixture()
        : this(TestVocabulary.Standard)
    {
    }

    internal TransformerModelFixture(WordPieceVocabulary vocabulary)
    {
        Options = new SyntheticBertOptions { Layers = 2, Hidden = 32, Heads = 4, Intermediate = 64, InitStd = 0.2, Seed = 11, MaxPositions = 512 };
        Weights = SyntheticBertWeights.Generate(Options);
        Folder = Path.Combine(_root.Path, "tiny-bert");
        SyntheticBert.WriteFolder(Folder, Weights);
        SyntheticBert.WriteTokenizer(Folder, vocabulary);
    }

    public SyntheticBertOptions Options { get; }

    internal SyntheticBertWeights Weights { get; }

    public string Folder { get; }

    /// <summary>A copy of the model folder the test may break.</summary>
    public string CopyFolder()
    {
        var copy = Path.Combine(_root.Path, "copy-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    /// <summary>The reference: token vectors from the naive double-precision forward pass, pooled by hand.</summary>
    internal double[] ReferencePooled(IReadOnlyList<int> ids, PoolingMode pooling)
    {
        var tokens = NaiveBert.Forward(Weights, ids.Select(i => (long)i).ToList());
        var hidden = tokens[0].Length;
        var result = new double[hidden];
        for (var h = 0; h < hidden; h++)
        {
            result[h] = pooling switch
            {
                PoolingMode.Cls => tokens[0][h],
                PoolingMode.LastToken => tokens[^1][h],
                PoolingMode.Max => tokens.Max(t => t[h]),
                _ => tokens.Average(t => t[h]),
            };
        }

        return result;
    }

    public void Dispose()
    {
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same model with the real bert-base-uncased vocabulary (npm), for the comparisons with transformers.js.</summary>
public sealed class RealVocabularyModelFixture() : TransformerModelFixture(BertVocabulary.Vocabulary);
