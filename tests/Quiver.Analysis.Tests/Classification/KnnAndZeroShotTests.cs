using Quiver.Analysis.Classification;
using Quiver.Core;

namespace Quiver.Analysis.Tests.Classification;

public sealed class KnnAndZeroShotTests
{
    [Fact]
    public void Knn_probabilities_are_the_shares_of_the_k_nearest_votes_by_cosine()
    {
        // Directions matter, not lengths: (10, 0) is as near (1, 0) as (1, 0) itself.
        var data = new LabelledVectors([10f, 0f, 1f, 0.1f, 0f, 1f, 0.2f, 1f, -1f, 0f], 2, [0, 0, 1, 1, 2], ["east", "north", "west"]);
        var knn = KnnClassifier.Fit(data, k: 3);
        var probabilities = new double[3];

        knn.Predict([1f, 0.05f], probabilities);

        // Nearest by cosine: (10,0) east, (1,0.1) east, then (0.2,1) north (cos 0.24) before (-1,0) west (cos −1).
        Assert.Equal(2.0 / 3, probabilities[0], 9);
        Assert.Equal(1.0 / 3, probabilities[1], 9);
        Assert.Equal(0.0, probabilities[2], 9);
    }

    [Fact]
    public void A_knn_tie_goes_to_the_class_with_the_more_similar_voters_and_shares_still_sum_to_one()
    {
        var data = new LabelledVectors([1f, 0f, 0f, 1f], 2, [0, 1], ["x", "y"]);
        var knn = KnnClassifier.Fit(data, k: 2);
        var probabilities = new double[2];

        knn.Predict([0.4f, 0.9f], probabilities);

        Assert.Equal(1, VectorClassifiers.Decide([probabilities])[0]);
        Assert.Equal(1.0, probabilities.Sum(), 12);
        Assert.Equal(0.5, probabilities[0], 6);
    }

    [Fact]
    public void Zero_shot_is_the_softmax_of_cosines_over_the_temperature()
    {
        var zeroShot = new ZeroShotClassifier(["cats", "dogs"], 2, [2f, 0f, 0f, 3f], temperature: 0.5);
        var probabilities = new double[2];

        zeroShot.Predict([3f, 4f], probabilities);

        var (a, b) = (0.6 / 0.5, 0.8 / 0.5);
        Assert.Equal(Math.Exp(a) / (Math.Exp(a) + Math.Exp(b)), probabilities[0], 6);
        Assert.Equal(Math.Exp(b) / (Math.Exp(a) + Math.Exp(b)), probabilities[1], 6);
    }

    [Fact]
    public void Label_prompts_read_underscores_as_spaces()
    {
        Assert.Equal("This text is about card arrival.", ZeroShotClassifier.Describe("card_arrival"));
        Assert.Equal("A question asking for a LOC", ZeroShotClassifier.Describe("LOC", "A question asking for a {label}"));
    }

    [Fact]
    public void Too_large_a_k_and_a_nonpositive_temperature_are_refused()
    {
        var data = new LabelledVectors([1f, 0f, 0f, 1f], 2, [0, 1], ["x", "y"]);

        Assert.Contains("k = 3 neighbours", Assert.Throws<QuiverException>(() => KnnClassifier.Fit(data, 3)).Message);
        Assert.Contains("temperature", Assert.Throws<QuiverException>(() => new ZeroShotClassifier(["x", "y"], 2, [1f, 0f, 0f, 1f], 0)).Message);
    }
}
