using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Models.Static;

namespace Quiver.Models.Tests;

public sealed class WordVectorsTests
{
    // Four axes: royalty, male, female, person. king − man + woman = (royal + female)/√2 = queen exactly.
    private static readonly float S = 1 / MathF.Sqrt(2);

    private static WordVectors Royals() => TestVectors.FromRows(
        ("man", [0, S, 0, S]),
        ("woman", [0, 0, S, S]),
        ("king", [S, S, 0, 0]),
        ("queen", [S, 0, S, 0]),
        ("lady", [0.5f, 0, 1, 0.5f]),
        ("throne", [1, 0, 0, 0]),
        ("person", [0, 0, 0, 2]));

    [Fact]
    public void Table_length_that_disagrees_with_words_times_dimensions_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new WordVectors(["a", "b"], new float[5], 3));
        Assert.Contains("6", e.Message, StringComparison.Ordinal);
        Assert.Contains("5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_dimensions_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WordVectors([], [], 0));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_value_in_the_table_is_refused(float bad)
    {
        var e = Assert.Throws<InvalidVectorException>(() => new WordVectors(["a", "b"], [1, 2, 3, bad], 2));
        Assert.Contains("index 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RankOf_gives_the_position_in_frequency_order_or_minus_one()
    {
        var vectors = TestVectors.FromRows(("the", [1, 0]), ("of", [0, 1]), ("Cat", [1, 1]));
        Assert.Equal(0, vectors.RankOf("the"));
        Assert.Equal(2, vectors.RankOf("Cat"));
        Assert.Equal(-1, vectors.RankOf("cat"));
        Assert.Equal(-1, vectors.RankOf("dog"));
        Assert.True(vectors.Contains("of"));
        Assert.False(vectors.Contains("dog"));
        Assert.Equal(3, vectors.Count);
        Assert.Equal(2, vectors.Dimensions);
        Assert.Equal([1f, 1f], vectors.Vector("Cat").ToArray());
    }

    [Fact]
    public void Repeated_word_keeps_its_first_row()
    {
        var vectors = TestVectors.FromRows(("a", [1, 0]), ("b", [0, 1]), ("a", [5, 5]));
        Assert.Equal(0, vectors.RankOf("a"));
        Assert.Equal([1f, 0f], vectors.Vector("a").ToArray());
    }

    [Fact]
    public void Require_of_an_unknown_word_names_it()
    {
        var vectors = Royals();
        Assert.Equal(2, vectors.Require("king"));
        var e = Assert.Throws<UnknownWordException>(() => vectors.Require("emperor"));
        Assert.Equal("emperor", e.Word);
        Assert.Contains("'emperor'", e.Message, StringComparison.Ordinal);
        Assert.Throws<UnknownWordException>(() => vectors.MostSimilar("emperor"));
        Assert.Throws<UnknownWordException>(() => vectors.Similarity("king", "emperor"));
        Assert.Throws<UnknownWordException>(() => vectors.Analogy("man", "king", "empress"));
    }

    [Fact]
    public void UnitVector_is_the_row_scaled_to_length_one()
    {
        var vectors = Royals();
        var person = vectors.UnitVector(vectors.RankOf("person")).ToArray();
        Assert.Equal([0f, 0f, 0f, 1f], person);
        Assert.Equal(1.0, TestVectors.Norm(vectors.UnitVector(4)), 6);
    }

    [Fact]
    public void Similarity_is_the_cosine_of_the_raw_vectors()
    {
        var vectors = TestVectors.Random(20, 7, seed: 1);
        var expected = TestVectors.Cosine(vectors.Vector("w3"), vectors.Vector("w11"));
        Assert.Equal(expected, vectors.Similarity("w3", "w11"), 5);
        Assert.Equal(vectors.Similarity("w11", "w3"), vectors.Similarity("w3", "w11"), 6);
        Assert.Equal(1.0, vectors.Similarity("w5", "w5"), 5);
    }

    [Fact]
    public void MostSimilar_matches_brute_force_cosine_and_excludes_the_word()
    {
        var vectors = TestVectors.Random(300, 16, seed: 2);
        foreach (var word in new[] { "w0", "w17", "w299" })
        {
            var result = vectors.MostSimilar(word, k: 10);
            Assert.DoesNotContain(result, r => r.Word == word);
            TestVectors.AssertRanking(result, CosinesTo(vectors, word, limit: vectors.Count), k: 10);
        }
    }

    [Fact]
    public void MostSimilar_restricted_to_n_words_considers_only_the_n_most_frequent()
    {
        var vectors = TestVectors.Random(300, 16, seed: 3);
        var result = vectors.MostSimilar("w250", k: 5, restrictTo: 40);
        Assert.All(result, r => Assert.True(vectors.RankOf(r.Word) < 40, $"{r.Word} is beyond rank 40"));
        TestVectors.AssertRanking(result, CosinesTo(vectors, "w250", limit: 40), k: 5);

        var unrestricted = vectors.MostSimilar("w250", k: 5);
        TestVectors.AssertRanking(unrestricted, CosinesTo(vectors, "w250", limit: 300), k: 5);
        Assert.NotEqual(result.Select(r => r.Word), unrestricted.Select(r => r.Word));
    }

    [Fact]
    public void MostSimilar_with_k_beyond_the_vocabulary_returns_every_other_word()
    {
        var vectors = Royals();
        var result = vectors.MostSimilar("king", k: 50);
        Assert.Equal(vectors.Count - 1, result.Count);
        Assert.Equal("throne", result[0].Word);
    }

    [Fact]
    public void Negative_restriction_is_refused()
    {
        Assert.Throws<QuiverException>(() => Royals().MostSimilar("king", restrictTo: -1));
    }

    [Fact]
    public void Nearest_of_a_vector_of_the_wrong_dimension_is_refused()
    {
        Assert.Throws<InvalidVectorException>(() => Royals().Nearest(new float[3], 2));
    }

    [Fact]
    public void Analogy_cos_add_answers_king_minus_man_plus_woman_with_queen()
    {
        var vectors = Royals();
        var answer = vectors.Analogy("man", "king", "woman", k: 3);
        Assert.Equal("queen", answer[0].Word);
        Assert.Equal(1.0, answer[0].Score, 5);
        Assert.Equal("lady", answer[1].Word);
        Assert.DoesNotContain(answer, a => a.Word is "man" or "king" or "woman");
    }

    [Fact]
    public void Analogy_cos_add_matches_brute_force_on_random_vectors()
    {
        var vectors = TestVectors.Random(400, 12, seed: 4);
        var questions = new[] { ("w1", "w2", "w3"), ("w100", "w7", "w399"), ("w50", "w51", "w52") };
        foreach (var (a, b, c) in questions)
        {
            var result = vectors.Analogy(a, b, c, k: 8);
            var target = CosAddTarget(vectors, a, b, c);
            var candidates = Candidates(vectors, vectors.Count, [a, b, c], row => TestVectors.Dot(TestVectors.Unit(row), target));
            AssertSameWords(candidates, result, k: 8);
        }
    }

    [Fact]
    public void Analogy_cos_add_scores_are_cosines_to_the_target()
    {
        // AnalogyMethod.CosAdd and WordScore document the score as cos(d, b − a + c), so it lies in [−1, 1].
        var vectors = TestVectors.Random(400, 12, seed: 5);
        var result = vectors.Analogy("w1", "w2", "w3", k: 8);
        var target = TestVectors.Unit(CosAddTarget(vectors, "w1", "w2", "w3"));
        var candidates = Candidates(vectors, vectors.Count, ["w1", "w2", "w3"], row => TestVectors.Dot(TestVectors.Unit(row), target));
        TestVectors.AssertRanking(result, candidates, k: 8);
    }

    [Fact]
    public void Analogy_cos_mul_matches_brute_force_on_random_vectors()
    {
        var vectors = TestVectors.Random(400, 12, seed: 6);
        var questions = new[] { ("w1", "w2", "w3"), ("w100", "w7", "w399"), ("w50", "w51", "w52") };
        foreach (var (a, b, c) in questions)
        {
            var result = vectors.Analogy(a, b, c, k: 8, method: AnalogyMethod.CosMul);
            var ua = TestVectors.Unit(vectors.Vector(a));
            var ub = TestVectors.Unit(vectors.Vector(b));
            var uc = TestVectors.Unit(vectors.Vector(c));
            var candidates = Candidates(vectors, vectors.Count, [a, b, c], row =>
            {
                var d = TestVectors.Unit(row);
                var cb = (TestVectors.Dot(d, ub) + 1) / 2;
                var cc = (TestVectors.Dot(d, uc) + 1) / 2;
                var ca = (TestVectors.Dot(d, ua) + 1) / 2;
                return cb * cc / (ca + 0.001);
            });
            TestVectors.AssertRanking(result, candidates, k: 8, tolerance: 1e-4);
        }
    }

    [Fact]
    public void Analogy_cos_mul_answers_the_hand_built_question()
    {
        var answer = Royals().Analogy("man", "king", "woman", k: 1, method: AnalogyMethod.CosMul);
        Assert.Equal("queen", Assert.Single(answer).Word);
    }

    [Fact]
    public void Analogy_restricted_to_n_words_only_answers_from_them()
    {
        var vectors = TestVectors.Random(400, 12, seed: 7);
        foreach (var method in new[] { AnalogyMethod.CosAdd, AnalogyMethod.CosMul })
        {
            var result = vectors.Analogy("w300", "w301", "w302", k: 5, method: method, restrictTo: 30);
            Assert.Equal(5, result.Count);
            Assert.All(result, r => Assert.True(vectors.RankOf(r.Word) < 30, $"{method}: {r.Word} is beyond rank 30"));
        }
    }

    [Fact]
    public void Analogy_never_answers_with_a_question_word()
    {
        // With one word per axis the best cos-add answer is always b or c; they must be skipped.
        var vectors = TestVectors.FromRows(
            ("a", [1, 0, 0, 0]),
            ("b", [0, 1, 0, 0]),
            ("c", [0, 0, 1, 0]),
            ("d", [0, 0.1f, 0.1f, 1]),
            ("e", [0, 0, 0, 1]));
        foreach (var method in new[] { AnalogyMethod.CosAdd, AnalogyMethod.CosMul })
        {
            var result = vectors.Analogy("a", "b", "c", k: 2, method: method);
            Assert.Equal(["d", "e"], result.Select(r => r.Word));
        }
    }

    [Fact]
    public void OddOneOut_is_the_word_least_like_the_mean_of_the_others()
    {
        var vectors = TestVectors.FromRows(
            ("apple", [1, 0.1f, 0]),
            ("pear", [0.9f, 0.2f, 0]),
            ("plum", [1, 0, 0.1f]),
            ("car", [0, 0, 3]));
        var odd = vectors.OddOneOut(["apple", "car", "pear", "plum"]);
        Assert.Equal("car", odd.Word);

        var mean = new double[3];
        foreach (var w in new[] { "apple", "car", "pear", "plum" })
        {
            var u = TestVectors.Unit(vectors.Vector(w));
            for (var i = 0; i < 3; i++)
            {
                mean[i] += u[i];
            }
        }

        Assert.Equal(TestVectors.Dot(TestVectors.Unit(vectors.Vector("car")), TestVectors.Unit(mean)), odd.Score, 5);
    }

    [Fact]
    public void OddOneOut_matches_brute_force_on_random_vectors()
    {
        var vectors = TestVectors.Random(50, 6, seed: 8);
        var words = new[] { "w3", "w9", "w27", "w31", "w44" };
        var mean = new double[6];
        foreach (var w in words)
        {
            var u = TestVectors.Unit(vectors.Vector(w));
            for (var i = 0; i < 6; i++)
            {
                mean[i] += u[i];
            }
        }

        var expected = words.MinBy(w => TestVectors.Dot(TestVectors.Unit(vectors.Vector(w)), mean));
        Assert.Equal(expected, vectors.OddOneOut(words).Word);
    }

    [Fact]
    public void OddOneOut_needs_three_words()
    {
        var e = Assert.Throws<QuiverException>(() => Royals().OddOneOut(["king", "queen"]));
        Assert.Contains("got 2", e.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, double> CosinesTo(WordVectors vectors, string word, int limit) =>
        Candidates(vectors, limit, [word], row => TestVectors.Cosine(row, vectors.Vector(word)));

    private static Dictionary<string, double> Candidates(WordVectors vectors, int limit, string[] exclude, Func<float[], double> score)
    {
        var result = new Dictionary<string, double>();
        for (var i = 0; i < limit; i++)
        {
            var word = vectors.Words[i];
            if (!exclude.Contains(word))
            {
                result[word] = score(vectors.Vector(i).ToArray());
            }
        }

        return result;
    }

    private static double[] CosAddTarget(WordVectors vectors, string a, string b, string c)
    {
        var ua = TestVectors.Unit(vectors.Vector(a));
        var ub = TestVectors.Unit(vectors.Vector(b));
        var uc = TestVectors.Unit(vectors.Vector(c));
        return ub.Select((x, i) => x - ua[i] + uc[i]).ToArray();
    }

    // Cos-add ranks by cosine to b − a + c; compares the ranking only (the scale of the score is checked on its own).
    private static void AssertSameWords(Dictionary<string, double> candidates, IReadOnlyList<WordScore> result, int k)
    {
        var expected = candidates.OrderByDescending(c => c.Value).Take(k).ToList();
        Assert.Equal(k, result.Count);
        for (var i = 0; i < k; i++)
        {
            Assert.True(candidates.ContainsKey(result[i].Word), $"'{result[i].Word}' is a question word");
            Assert.True(
                Math.Abs(candidates[result[i].Word] - expected[i].Value) <= 1e-5,
                $"position {i}: '{result[i].Word}' ({candidates[result[i].Word]}) where brute force has '{expected[i].Key}' ({expected[i].Value})");
        }
    }
}
