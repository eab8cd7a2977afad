using Quiver.Analysis.Classification;
using Quiver.Core;

namespace Quiver.Analysis.Tests.Classification;

public sealed class NearestNeighbourClassifierTests
{
    [Fact]
    public void Separated_classes_are_all_recovered()
    {
        var random = new Random(3);
        var vectors = new List<float[]>();
        var labels = new List<int>();
        for (var c = 0; c < 3; c++)
        {
            for (var n = 0; n < 20; n++)
            {
                var v = new float[3];
                v[c] = 10;
                v[(c + 1) % 3] = (float)random.NextDouble();
                vectors.Add(v);
                labels.Add(c);
            }
        }

        Assert.Equal(1.0, NearestNeighbourClassifier.LeaveOneOutAccuracy(vectors, labels, k: 5));
    }

    [Fact]
    public void Hand_counted_votes_decide_and_the_item_itself_never_votes()
    {
        // Cosines by hand. 0 → {1 (b) 0.994, 2 (b) 0.970}: b, wrong. 1 → {0 (a) 0.994, 2 (b) 0.991}: a 1-1 tie won by
        // the more similar voter, wrong. 2 → {1 (b) 0.991, 0 (a) 0.970}: right. 3 → {4 (c) 0.994, 2 (b) 0.243}: right.
        // 4 → {3 (c) 0.994, 2 (b) 0.348}: right.
        float[][] vectors = [[1, 0], [0.9f, 0.1f], [0.8f, 0.2f], [0, 1], [0.1f, 0.9f]];
        int[] labels = [0, 1, 1, 2, 2];
        var accuracy = NearestNeighbourClassifier.LeaveOneOutAccuracy(vectors, labels, k: 2);
        Assert.Equal(3.0 / 5, accuracy, 10);
    }

    [Fact]
    public void Mismatched_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => NearestNeighbourClassifier.LeaveOneOutAccuracy([[1f], [2f]], [0]));
        Assert.Throws<QuiverException>(() => NearestNeighbourClassifier.LeaveOneOutAccuracy([[1f], [2f]], [0, 1], k: 2));
        Assert.Throws<ArgumentException>(() => NearestNeighbourClassifier.LeaveOneOutAccuracy([[1f], [2f, 3f], [1f]], [0, 1, 0], k: 1));
    }
}
