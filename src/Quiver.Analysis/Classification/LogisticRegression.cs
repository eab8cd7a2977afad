using Quiver.Core;

namespace Quiver.Analysis.Classification;

/// <summary>
/// Multinomial logistic regression on embeddings: one weight vector and intercept per class, probabilities by
/// softmax, fitted to the minimum of the mean cross-entropy plus an L2 penalty (<see cref="SoftmaxLoss"/>) by L-BFGS
/// from zero weights. The optimum is that of scikit-learn's <c>LogisticRegression(multi_class="multinomial",
/// solver="lbfgs", C=C)</c> on the same vectors.
/// </summary>
public static class LogisticRegression
{
    public static LogisticRegressionModel Fit(LabelledVectors data, LogisticRegressionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new LogisticRegressionOptions();
        if (!(options.C > 0) || double.IsInfinity(options.C))
        {
            throw new QuiverException($"C = {options.C} is not a penalty strength; give a positive number (1.0 is the usual start, smaller regularises more).");
        }

        data.RequireTrainable("The training data");
        var loss = new SoftmaxLoss(data, options.C, Math.Max(1, options.Threads));
        var w = new double[loss.Parameters];
        var (iterations, converged, value) = Lbfgs.Minimise(loss.Evaluate, w, options.Tolerance, options.MaxIterations, cancellationToken: cancellationToken);
        var stride = data.Dimensions + 1;
        var weights = new float[data.Classes.Count * data.Dimensions];
        var intercepts = new float[data.Classes.Count];
        for (var k = 0; k < data.Classes.Count; k++)
        {
            for (var d = 0; d < data.Dimensions; d++)
            {
                weights[(k * data.Dimensions) + d] = (float)w[(k * stride) + d];
            }

            intercepts[k] = (float)w[(k * stride) + data.Dimensions];
        }

        return new LogisticRegressionModel(data.Classes, data.Dimensions, weights, intercepts)
        {
            Iterations = iterations,
            Converged = converged,
            Objective = value,
        };
    }
}
