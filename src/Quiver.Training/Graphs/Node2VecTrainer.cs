using System.Diagnostics;
using Quiver.Core;
using Quiver.Models.Static;
using Quiver.Training.Words;

namespace Quiver.Training.Graphs;

/// <summary>Node embeddings: node2vec (or DeepWalk with p = q = 1) walks over a graph, trained with Word2Vec skip-gram.</summary>
public static class Node2VecTrainer
{
    /// <summary>Trains node vectors; the result's vectors hold the nodes only (word2vec's sentence end is dropped), most visited first.</summary>
    public static Word2VecResult Train(Graph graph, Node2VecOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (graph.NodeCount < 2)
        {
            throw new QuiverException($"The graph has {graph.NodeCount} node(s); node embeddings need at least 2.");
        }

        var clock = Stopwatch.StartNew();
        var walks = new RandomWalks(graph, options);
        var vocabulary = Vocabulary.Build(walks, minCount: 1, cancellationToken: cancellationToken);
        var trained = Word2VecTrainer.Train(walks, vocabulary, options.Word2Vec with { MinCount = 1 }, clock.Elapsed, progress, cancellationToken);
        var dims = trained.Vectors.Dimensions;
        var nodes = new WordVectors(trained.Vectors.Words.Skip(1).ToList(), trained.Vectors.Table[dims..].ToArray(), dims);
        return trained with { Vectors = nodes };
    }
}
