using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Quiver.Catalogue;
using Quiver.Training.Documents;
using Quiver.Training.Words;
using Quiver.Models;

namespace Quiver.Training.Tests;

public sealed class Doc2VecTests
{
    private static readonly List<string[]> Documents = SyntheticText.Topics(topics: 3, wordsPerTopic: 12, sentences: 300, length: 20, seed: 21);

    [Theory]
    [InlineData(Doc2VecMode.DistributedBagOfWords, false)]
    [InlineData(Doc2VecMode.DistributedBagOfWords, true)]
    [InlineData(Doc2VecMode.DistributedMemory, false)]
    public void Documents_of_one_topic_get_closer_vectors_and_new_documents_are_inferred_near_their_topic(Doc2VecMode mode, bool trainWords)
    {
        var options = new Doc2VecOptions
        {
            Mode = mode,
            TrainWords = trainWords,
            Word2Vec = new Word2VecOptions { Dimensions = 16, Window = 3, MinCount = 1, Sample = 0, Epochs = 15, Threads = 1, LearningRate = 0.025f },
        };

        var model = Doc2VecTrainer.Train(Documents, options);

        Assert.Equal(Documents.Count, model.DocumentCount);
        int Topic(string[] doc) => doc[0][1] - '0';
        var correct = 0;
        var probe = SyntheticText.Topics(3, 12, 30, 20, seed: 99);
        foreach (var doc in probe)
        {
            var inferred = model.Infer(doc);
            var best = Enumerable.Range(0, Documents.Count).MaxBy(i => TensorPrimitives.CosineSimilarity(inferred, model.DocumentVector(i)));
            correct += Topic(Documents[best]) == Topic(doc) ? 1 : 0;
        }

        Assert.True(correct >= 27, $"{correct} of 30 new documents land nearest a training document of their topic");
    }

    [Fact]
    public void Inference_is_repeatable_and_leaves_the_model_unchanged()
    {
        var model = Doc2VecTrainer.Train(Documents, new Doc2VecOptions
        {
            Mode = Doc2VecMode.DistributedMemory,
            Word2Vec = new Word2VecOptions { Dimensions = 8, MinCount = 1, Epochs = 2, Threads = 1 },
        });
        var words = model.Words.Table.ToArray();

        var first = model.Infer(Documents[0]);
        var second = model.Infer(Documents[0]);

        Assert.Equal(first, second);
        Assert.Equal(words, model.Words.Table.ToArray());
    }

    [Fact]
    public async Task The_generator_gives_unit_vectors_in_the_models_space()
    {
        var model = Doc2VecTrainer.Train(Documents, new Doc2VecOptions
        {
            Mode = Doc2VecMode.DistributedBagOfWords,
            Word2Vec = new Word2VecOptions { Dimensions = 8, MinCount = 1, Epochs = 2, Threads = 1 },
        });
        using var generator = new TextEmbeddingGenerator(new Doc2VecTextEncoder(model, "docs", "r1"));

        var embeddings = await generator.GenerateAsync(["t0w1 t0w2 t0w3", "T1W4 t1w5"]);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(1f, TensorPrimitives.Norm(e.Vector.Span), 4));
        Assert.Equal(8, generator.GetService<Quiver.Core.Spaces.EmbeddingSpace>()!.Dimensions);
    }

    [Fact]
    public void An_installed_model_opens_by_name_and_infers_the_same_vectors()
    {
        var home = Directory.CreateTempSubdirectory("quiver-d2v-").FullName;
        try
        {
            var paths = new Quiver.Core.QuiverPaths(home);
            var model = Doc2VecTrainer.Train(Documents, new Doc2VecOptions
            {
                Mode = Doc2VecMode.DistributedMemory,
                Word2Vec = new Word2VecOptions { Dimensions = 8, MinCount = 1, Epochs = 2, Threads = 1 },
            });

            var manifest = Doc2VecFolder.Install(paths, "docs", model, "test", force: false);
            var opened = Doc2VecFolder.Open(paths, "docs");

            Assert.Equal(Doc2VecFolder.Kind, manifest.Kind);
            Assert.Equal(model.DocumentVector(3).ToArray(), opened.DocumentVector(3).ToArray());
            Assert.Equal(model.Infer(Documents[5]), opened.Infer(Documents[5]));
            using var generator = InstalledModels.OpenTextEncoder(paths, "docs");
            Assert.Equal(manifest.Revision, generator.Space.Revision);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void A_damaged_settings_file_is_stored_data_naming_the_file()
    {
        var home = Directory.CreateTempSubdirectory("quiver-d2v-").FullName;
        try
        {
            var paths = new Quiver.Core.QuiverPaths(home);
            var model = Doc2VecTrainer.Train(Documents, new Doc2VecOptions
            {
                Mode = Doc2VecMode.DistributedMemory,
                Word2Vec = new Word2VecOptions { Dimensions = 8, MinCount = 1, Epochs = 1, Threads = 1 },
            });
            Doc2VecFolder.Install(paths, "docs", model, "test", force: false);
            var settings = Path.Combine(paths.Models, "docs", "doc2vec.json");
            File.WriteAllText(settings, "{\"Mode\": ");

            var e = Assert.Throws<Quiver.Core.StoredDataException>(() => Doc2VecFolder.Open(paths, "docs"));
            Assert.Equal(settings, e.Path);
            Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
