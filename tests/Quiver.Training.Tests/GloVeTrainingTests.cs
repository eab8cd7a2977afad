using Quiver.Core;
using Quiver.Models.Static;
using Quiver.Training.GloVe;

namespace Quiver.Training.Tests;

public sealed class GloVeTrainingTests : IDisposable
{
    private static readonly string[] Animals = ["cat", "dog", "horse", "cow"];
    private static readonly string[] Vehicles = ["car", "bus", "truck", "van"];

    private readonly string _folder = Directory.CreateTempSubdirectory("quiver-glove-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static GloVeOptions Small(int threads = 1, int seed = 1) => new()
    {
        Dimensions = 16,
        Window = 5,
        MinCount = 1,
        Iterations = 15,
        XMax = 10,
        Threads = threads,
        Seed = seed,
        MemoryMiB = 16,
    };

    private string Scratch()
    {
        var scratch = Path.Combine(_folder, "scratch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        return scratch;
    }

    [Fact]
    public void The_cost_falls_with_every_iteration()
    {
        var corpus = GloVeFixtures.Write(_folder, "topics.txt", GloVeFixtures.TopicSentences(seed: 1, sentences: 1500));

        var result = GloVeTrainer.Train(corpus, Small(), Scratch());

        Assert.Equal(15, result.Costs.Count);
        for (var i = 1; i < result.Costs.Count; i++)
        {
            Assert.True(result.Costs[i] < result.Costs[i - 1], $"cost rose from {result.Costs[i - 1]} to {result.Costs[i]} at iteration {i + 1}");
        }

        Assert.True(result.Costs[^1] < result.Costs[0] / 2, $"cost only fell from {result.Costs[0]} to {result.Costs[^1]}");
    }

    [Fact]
    public void One_thread_and_one_seed_give_the_same_vectors_and_another_seed_does_not()
    {
        var corpus = GloVeFixtures.Write(_folder, "topics.txt", GloVeFixtures.TopicSentences(seed: 2, sentences: 500));

        var first = GloVeTrainer.Train(corpus, Small(seed: 7), Scratch());
        var second = GloVeTrainer.Train(corpus, Small(seed: 7), Scratch());
        var other = GloVeTrainer.Train(corpus, Small(seed: 8), Scratch());

        Assert.Equal(first.Vectors.Words, second.Vectors.Words);
        Assert.True(first.Vectors.Table.SequenceEqual(second.Vectors.Table));
        Assert.Equal(first.Costs, second.Costs);
        Assert.False(first.Vectors.Table.SequenceEqual(other.Vectors.Table));
    }

    [Theory]
    [InlineData(1, 16.0)]
    [InlineData(2, 16.0)]
    [InlineData(2, 0.004)] // about 4 KiB: counts spill to many runs and the records are shuffled on disk
    public void Words_of_one_topic_end_up_closer_to_each_other_than_to_the_other_topic(int threads, double memoryMiB)
    {
        var corpus = GloVeFixtures.Write(_folder, "topics.txt", GloVeFixtures.TopicSentences(seed: 3, sentences: 1500));

        var result = GloVeTrainer.Train(corpus, Small(threads) with { MemoryMiB = memoryMiB }, Scratch());

        Assert.Equal(memoryMiB < 1, result.ShuffledOnDisk);
        Assert.Equal(memoryMiB < 1, result.Runs > threads);
        var vectors = result.Vectors;
        foreach (var (group, others) in new[] { (Animals, Vehicles), (Vehicles, Animals) })
        {
            foreach (var word in group)
            {
                var within = group.Where(w => w != word).Min(w => vectors.Similarity(word, w));
                var across = others.Max(w => vectors.Similarity(word, w));
                Assert.True(within > across + 0.2, $"{word}: least similar of its topic {within:F3}, most similar of the other {across:F3}");
            }
        }
    }

    [Fact]
    public void The_vocabulary_is_ordered_by_frequency_and_cut_by_min_count()
    {
        var corpus = GloVeFixtures.Write(_folder, "counts.txt", ["x y z y z z", "z y q"]);

        var result = GloVeTrainer.Train(corpus, Small() with { MinCount = 2, Iterations = 1 }, Scratch());

        Assert.Equal(["z", "y"], result.Vectors.Words);
        Assert.Equal(16, result.Vectors.Dimensions);
        Assert.Equal(9, result.Tokens);
    }

    [Fact]
    public void Scratch_files_are_removed_after_training_and_after_a_failure()
    {
        var corpus = GloVeFixtures.Write(_folder, "topics.txt", GloVeFixtures.TopicSentences(seed: 4, sentences: 800));
        var scratch = Scratch();

        GloVeTrainer.Train(corpus, Small() with { MemoryMiB = 0.004, Iterations = 2 }, scratch);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));

        // Cancel once training has started: the runs, merged file and shuffled file are all on disk by then.
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<GloVeProgress>(p =>
        {
            if (p.Stage == GloVeStage.Training)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            GloVeTrainer.Train(corpus, Small() with { MemoryMiB = 0.004, Iterations = 1000 }, scratch, progress, cancel.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }

    [Fact]
    public void A_corpus_with_no_word_at_the_min_count_is_refused_with_the_count()
    {
        var corpus = GloVeFixtures.Write(_folder, "rare.txt", ["each word once"]);

        var error = Assert.Throws<QuiverException>(() => GloVeTrainer.Train(corpus, Small() with { MinCount = 2 }, Scratch()));

        Assert.Contains("at least 2 times", error.Message);
    }

    [Fact]
    public void Progress_reports_each_iteration_with_its_cost()
    {
        var corpus = GloVeFixtures.Write(_folder, "topics.txt", GloVeFixtures.TopicSentences(seed: 5, sentences: 300));
        var reports = new List<GloVeProgress>();

        var result = GloVeTrainer.Train(corpus, Small() with { Iterations = 3 }, Scratch(), new SynchronousProgress<GloVeProgress>(reports.Add));

        var ends = reports.Where(r => r.Stage == GloVeStage.Training && r.Done == r.Total && !double.IsNaN(r.Cost)).ToList();
        Assert.Equal([1, 2, 3], ends.Select(r => r.Iteration).Distinct());
        Assert.Equal(result.Costs[^1], ends[^1].Cost);
        Assert.Contains(reports, r => r.Stage == GloVeStage.Counting);
        Assert.True(ends[^1].RecordsPerSecond > 0);
    }

    [Fact]
    public void Vectors_are_word_plus_context_so_similar_and_analogy_work_on_them()
    {
        var corpus = GloVeFixtures.Write(_folder, "topics.txt", GloVeFixtures.TopicSentences(seed: 6, sentences: 2000));

        WordVectors vectors = GloVeTrainer.Train(corpus, Small(), Scratch()).Vectors;

        Assert.Contains(vectors.MostSimilar("cat", k: 3), s => Animals.Contains(s.Word));
        Assert.DoesNotContain(vectors.MostSimilar("cat", k: 3), s => Vehicles.Contains(s.Word));
    }
}
