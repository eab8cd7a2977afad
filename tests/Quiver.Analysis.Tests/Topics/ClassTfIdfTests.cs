using Quiver.Analysis.Topics;

namespace Quiver.Analysis.Tests.Topics;

public sealed class ClassTfIdfTests
{
    [Fact]
    public void Weights_follow_the_class_based_formula()
    {
        // Five words in two clusters: A = 2.5; f(apple) = f(banana) = 2, f(cherry) = 1.
        var topics = ClassTfIdf.Describe(["apple apple", "banana", "banana cherry"], [0, 0, 1], null, 0);
        var first = topics[0].Keywords.ToDictionary(k => k.Word, k => k.Weight);
        var second = topics[1].Keywords.ToDictionary(k => k.Word, k => k.Weight);
        Assert.Equal(2.0 / 3 * Math.Log(1 + (2.5 / 2)), first["apple"], 12);
        Assert.Equal(1.0 / 3 * Math.Log(1 + (2.5 / 2)), first["banana"], 12);
        Assert.Equal(0.5 * Math.Log(1 + 2.5), second["cherry"], 12);
        Assert.Equal("apple", topics[0].Keywords[0].Word);
        Assert.Equal("cherry_banana", topics[1].Name);
        Assert.Equal(2, topics[0].Size);
    }

    [Fact]
    public void Representatives_are_the_points_nearest_the_centre()
    {
        float[] vectors = [0, 0, 1, 0, 2, 0, 10, 10, 11, 10];
        var topics = ClassTfIdf.Describe(["a", "b", "c", "d", "e"], [0, 0, 0, 1, 1], vectors, 2, representatives: 2);
        Assert.Equal([1, 0], topics[0].Representatives);
        Assert.Equal([3, 4], topics[1].Representatives);
    }

    [Fact]
    public void Noise_gets_a_topic_of_its_own()
    {
        var topics = ClassTfIdf.Describe(["whale sea", "whale ship", "rocket"], [0, 0, -1], null, 0);
        Assert.Equal([-1, 0], topics.Select(t => t.Cluster));
        Assert.Equal("whale", topics[1].Keywords[0].Word);
    }
}
