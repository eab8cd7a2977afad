using Quiver.Analysis.Classification;
using Quiver.Core;

namespace Quiver.Analysis.Tests.Classification;

public sealed class LogisticRegressionTests
{
    [Fact]
    public void Separable_blobs_are_all_classified_and_probabilities_sum_to_one()
    {
        var data = ClassificationData.Blobs(classes: 4, perClass: 40, dimensions: 6, spread: 0.5);

        var model = LogisticRegression.Fit(data);
        var probabilities = model.PredictAll(data.Vectors);

        Assert.True(model.Converged);
        Assert.Equal(data.Labels, VectorClassifiers.Decide(probabilities));
        Assert.All(probabilities, p => Assert.Equal(1.0, p.Sum(), 9));
        Assert.All(probabilities, p => Assert.All(p, x => Assert.InRange(x, 0.0, 1.0)));
    }

    [Fact]
    public void The_gradient_matches_finite_differences()
    {
        var data = ClassificationData.Blobs(classes: 3, perClass: 7, dimensions: 4, spread: 2.0);
        var loss = new SoftmaxLoss(data, c: 0.7, threads: 2);
        var random = new Random(5);
        var w = Enumerable.Range(0, loss.Parameters).Select(_ => random.NextDouble() - 0.5).ToArray();
        var gradient = new double[loss.Parameters];
        loss.Evaluate(w, gradient);

        var scratch = new double[loss.Parameters];
        for (var j = 0; j < w.Length; j++)
        {
            var h = 1e-5;
            var original = w[j];
            w[j] = original + h;
            var up = loss.Evaluate(w, scratch);
            w[j] = original - h;
            var down = loss.Evaluate(w, scratch);
            w[j] = original;
            Assert.Equal((up - down) / (2 * h), gradient[j], 7);
        }
    }

    [Fact]
    public void The_loss_is_mean_cross_entropy_plus_the_penalty_on_weights_not_intercepts()
    {
        // Two rows, two classes, one dimension: everything by hand.
        var data = new LabelledVectors([1f, -2f], 1, [0, 1], ["a", "b"]);
        var loss = new SoftmaxLoss(data, c: 0.5, threads: 1);
        double[] w = [0.3, 0.1, -0.2, 0.4]; // class a: weight 0.3, intercept 0.1; class b: weight −0.2, intercept 0.4

        var value = loss.Evaluate(w, new double[4]);

        double CrossEntropy(double x, int label)
        {
            var za = (0.3 * x) + 0.1;
            var zb = (-0.2 * x) + 0.4;
            var log = Math.Log(Math.Exp(za) + Math.Exp(zb));
            return log - (label == 0 ? za : zb);
        }

        var expected = ((CrossEntropy(1, 0) + CrossEntropy(-2, 1)) / 2) + ((0.3 * 0.3) + (0.2 * 0.2)) / (2 * 0.5 * 2);
        Assert.Equal(expected, value, 12);
    }

    [Fact]
    public void The_fit_reaches_a_stationary_point_and_a_smaller_C_shrinks_the_weights()
    {
        var data = ClassificationData.Blobs(classes: 3, perClass: 30, dimensions: 5, spread: 3.0);
        var loose = LogisticRegression.Fit(data, new LogisticRegressionOptions { C = 10 });
        var tight = LogisticRegression.Fit(data, new LogisticRegressionOptions { C = 0.01 });

        static double Norm(LogisticRegressionModel m) => Math.Sqrt(m.Weights.ToArray().Sum(x => (double)x * x));

        Assert.True(loose.Converged && tight.Converged, $"{loose.Iterations} {loose.Converged} {loose.Objective} {tight.Iterations} {tight.Converged} {tight.Objective}");
        Assert.True(Norm(tight) < Norm(loose) / 1.5, $"{Norm(tight)} vs {Norm(loose)}");

        var loss = new SoftmaxLoss(data, 10, 1);
        var w = new double[loss.Parameters];
        for (var k = 0; k < 3; k++)
        {
            for (var d = 0; d < 5; d++)
            {
                w[(k * 6) + d] = loose.Weights[(k * 5) + d];
            }

            w[(k * 6) + 5] = loose.Intercepts[k];
        }

        var gradient = new double[loss.Parameters];
        loss.Evaluate(w, gradient);
        Assert.True(gradient.Max(Math.Abs) < 1e-4, $"largest gradient component {gradient.Max(Math.Abs)}");
    }

    [Fact]
    public void The_fit_does_not_depend_on_the_thread_count()
    {
        var data = ClassificationData.Blobs(classes: 3, perClass: 200, dimensions: 5, spread: 3.0);

        var one = LogisticRegression.Fit(data, new LogisticRegressionOptions { Threads = 1 });
        var four = LogisticRegression.Fit(data, new LogisticRegressionOptions { Threads = 4 });

        Assert.Equal(one.Weights.ToArray(), four.Weights.ToArray());
    }

    [Fact]
    public void A_single_class_and_a_nonpositive_C_are_refused()
    {
        var single = new LabelledVectors([1f, 2f, 3f], 1, [0, 0, 0], ["spam", "ham"]);
        var two = new LabelledVectors([1f, 2f], 1, [0, 1], ["spam", "ham"]);

        var one = Assert.Throws<QuiverException>(() => LogisticRegression.Fit(single));
        var c = Assert.Throws<QuiverException>(() => LogisticRegression.Fit(two, new LogisticRegressionOptions { C = 0 }));

        Assert.Contains("only the class 'spam'", one.Message);
        Assert.Contains("at least two different labels", one.Message);
        Assert.Contains("C = 0", c.Message);
    }
}
