using System.Numerics.Tensors;
using Quiver.Core;
using Quiver.Models.Static;
using Quiver.Training.Corpus;
using Quiver.Training.Words;

namespace Quiver.Training.Tests;

public sealed class Word2VecTrainerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("quiver-w2v-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Word2VecOptions Small = new()
    {
        Dimensions = 16,
        Window = 3,
        MinCount = 1,
        Sample = 0,
        Epochs = 3,
        Threads = 1,
    };

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Words_that_share_contexts_end_up_closer_than_words_that_never_meet(bool cbow, bool hierarchicalSoftmax)
    {
        var corpus = new ListCorpus(SyntheticText.Topics(topics: 4, wordsPerTopic: 10, sentences: 2000, length: 8, seed: 11));
        var options = Small with { Cbow = cbow, HierarchicalSoftmax = hierarchicalSoftmax, Negative = hierarchicalSoftmax ? 0 : 5, Threads = 2 };

        var vectors = Word2VecTrainer.Train(corpus, options).Vectors;

        var (within, across) = MeanCosines(vectors, topics: 4, wordsPerTopic: 10);
        Assert.True(within > across + 0.3, $"within-topic cosine {within:F3}, across {across:F3}");
        Assert.StartsWith("t", vectors.MostSimilar("t2w3", 5)[0].Word);
        Assert.All(vectors.MostSimilar("t2w3", 5), h => Assert.StartsWith("t2", h.Word));
    }

    [Fact]
    public void One_thread_and_a_seed_repeat_exactly_and_another_seed_differs()
    {
        var corpus = new ListCorpus(SyntheticText.Topics(3, 12, 400, 7, seed: 2));
        var options = Small with { Sample = 1e-2, Cbow = false, Seed = 42 };

        var first = Word2VecTrainer.Train(corpus, options).Vectors.Table.ToArray();
        var second = Word2VecTrainer.Train(corpus, options).Vectors.Table.ToArray();
        var other = Word2VecTrainer.Train(corpus, options with { Seed = 43 }).Vectors.Table.ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_streamed_file_trains_like_its_sentences_in_memory()
    {
        var sentences = SyntheticText.Topics(3, 12, 400, 7, seed: 5);
        var file = new TextFileCorpus(SyntheticText.WriteFile(_folder, sentences));
        var options = Small with { Cbow = false };

        var fromFile = Word2VecTrainer.Train(file, options);
        var fromMemory = Word2VecTrainer.Train(new ListCorpus(sentences), options);

        Assert.Equal(fromMemory.Vectors.Words, fromFile.Vectors.Words);
        Assert.Equal(fromMemory.Vectors.Table.ToArray(), fromFile.Vectors.Table.ToArray());
        Assert.Equal(options.Epochs * fromFile.Vocabulary.TotalCount, fromFile.Summary.WordsTrained);
    }

    [Fact]
    public void The_vocabulary_keeps_the_sentence_end_first_as_word2vec_files_do()
    {
        var result = Word2VecTrainer.Train(new ListCorpus([["a", "b"], ["b", "a"]]), Small with { Epochs = 1 });
        Assert.Equal(Vocabulary.SentenceEnd, result.Vectors.Words[0]);
        Assert.Equal(3, result.Vectors.Count);
    }

    [Fact]
    public void A_corpus_with_no_frequent_word_is_refused_with_the_min_count_named()
    {
        var error = Assert.Throws<QuiverException>(() => Word2VecTrainer.Train(new ListCorpus([["once"]]), Small with { MinCount = 5 }));
        Assert.Contains("min-count", error.Message);
    }

    [Fact]
    public void Options_out_of_range_are_named()
    {
        Assert.Contains("-3", Assert.Throws<QuiverException>(() => (Small with { Window = -3 }).Validate()).Message);
        Assert.Contains("Negative", Assert.Throws<QuiverException>(() => (Small with { Negative = 0 }).Validate()).Message);
    }

    internal static (double Within, double Across) MeanCosines(WordVectors vectors, int topics, int wordsPerTopic)
    {
        double within = 0, across = 0;
        int nw = 0, na = 0;
        for (var t1 = 0; t1 < topics; t1++)
        {
            for (var i = 0; i < wordsPerTopic; i++)
            {
                for (var t2 = 0; t2 < topics; t2++)
                {
                    for (var j = 0; j < wordsPerTopic; j++)
                    {
                        if (t1 == t2 && i == j)
                        {
                            continue;
                        }

                        var cos = TensorPrimitives.CosineSimilarity(vectors.Vector($"t{t1}w{i}"), vectors.Vector($"t{t2}w{j}"));
                        if (t1 == t2)
                        {
                            within += cos;
                            nw++;
                        }
                        else
                        {
                            across += cos;
                            na++;
                        }
                    }
                }
            }
        }

        return (within / nw, across / na);
    }
}
