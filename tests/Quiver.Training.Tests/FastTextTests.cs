using System.Numerics.Tensors;
using System.Text;
using Quiver.Models.Static;
using Quiver.Training.Words;

namespace Quiver.Training.Tests;

public sealed class FastTextTests
{
    [Fact]
    public void The_hash_is_fnv1a_with_fasttexts_sign_extended_bytes()
    {
        Assert.Equal(0xE40C292Cu, SubwordTable.Hash("a"u8));
        Assert.Equal(unchecked((2166136261u ^ 0xFFFFFFC3u) * 16777619u), SubwordTable.Hash([0xC3]));
    }

    [Fact]
    public void N_grams_are_those_of_the_bracketed_word_without_the_lone_brackets()
    {
        var buckets = new List<int>();
        SubwordTable.NGramBuckets("ab", 1, 6, 1_000_003, buckets);

        string[] expected = ["<a", "<ab", "<ab>", "a", "ab", "ab>", "b", "b>"];
        Assert.Equal(expected.Select(g => (int)(SubwordTable.Hash(Encoding.UTF8.GetBytes(g)) % 1_000_003u)), buckets);
    }

    [Fact]
    public void N_gram_lengths_count_characters_not_utf8_bytes()
    {
        var buckets = new List<int>();
        SubwordTable.NGramBuckets("é", 2, 2, 1000, buckets);
        Assert.Equal([(int)(SubwordTable.Hash(Encoding.UTF8.GetBytes("<é")) % 1000), (int)(SubwordTable.Hash(Encoding.UTF8.GetBytes("é>")) % 1000)], buckets);
    }

    [Fact]
    public void Unseen_words_get_vectors_near_the_words_they_share_n_grams_with()
    {
        // Topic 0 words all start "marsh", topic 1 words "quill"; an unseen "marshq.." should land among topic 0.
        var random = new Random(4);
        string Word(int topic) => (topic == 0 ? "marsh" : "quill") + (char)('a' + random.Next(8)) + (char)('a' + random.Next(8));
        var sentences = Enumerable.Range(0, 1500).Select(i => Enumerable.Range(0, 8).Select(_ => Word(i % 2)).ToArray()).ToList();
        var options = new FastTextOptions
        {
            Word2Vec = new Word2VecOptions { Dimensions = 24, Window = 3, MinCount = 1, Sample = 0, Epochs = 3, Threads = 1, Cbow = false, LearningRate = 0.05f },
            Buckets = 20_000,
        };

        var trained = FastTextTrainer.Train(new ListCorpus(sentences), options);

        var oov = new float[24];
        Assert.True(trained.Subwords.TryCompose("marshzz", oov));
        Assert.False(trained.Vectors.Contains("marshzz"));
        var topic0 = trained.Vectors.Words.Where(w => w.StartsWith("marsh", StringComparison.Ordinal)).Average(w => TensorPrimitives.CosineSimilarity(oov, trained.Vectors.Vector(w)));
        var topic1 = trained.Vectors.Words.Where(w => w.StartsWith("quill", StringComparison.Ordinal)).Average(w => TensorPrimitives.CosineSimilarity(oov, trained.Vectors.Vector(w)));
        Assert.True(topic0 > topic1 + 0.2, $"unseen word's cosine to its topic {topic0:F3}, to the other {topic1:F3}");
        Assert.StartsWith("marsh", trained.Vectors.Nearest(oov, 1)[0].Word);
    }

    [Fact]
    public void A_word_vector_is_the_mean_of_its_own_and_its_n_gram_rows()
    {
        var options = new FastTextOptions
        {
            Word2Vec = new Word2VecOptions { Dimensions = 8, MinCount = 1, Epochs = 1, Threads = 1, Cbow = false },
            Buckets = 5000,
        };
        var trained = FastTextTrainer.Train(new ListCorpus(SyntheticText.Topics(2, 5, 100, 5, seed: 9)), options);

        // Without its own row, the composed vector differs; the n-gram part alone is what an unseen spelling gets.
        var composed = new float[8];
        trained.Subwords.TryCompose("t0w1", composed);
        Assert.NotEqual(composed, trained.Vectors.Vector("t0w1").ToArray());
        var (_, rows) = FastTextTrainer.InputRows(trained.Vocabulary, options);
        Assert.Equal(trained.Vocabulary.Count, rows.Count(r => r < trained.Vocabulary.Count));
    }

    [Fact]
    public void The_subword_table_round_trips_through_its_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"quiver-sub-{Guid.NewGuid():N}.qsub");
        try
        {
            var table = new SubwordTable(3, 6, 4, 2, [1, 2, 3, 4, 5, 6, 7, 8]);
            table.Write(path);
            var read = SubwordTable.Read(path);
            Assert.Equal((3, 6, 4, 2), (read.MinN, read.MaxN, read.Buckets, read.Dimensions));
            Assert.Equal(table.Rows.ToArray(), read.Rows.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
