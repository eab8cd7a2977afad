using System.Numerics.Tensors;

namespace Quiver.Analysis.Classification;

/// <summary>
/// Limited-memory BFGS (Nocedal 1980; Liu and Nocedal 1989) for a smooth convex objective: the two-loop recursion
/// over the last <c>memory</c> steps, a backtracking line search to a sufficient decrease (Armijo), and a step pair
/// kept only when its curvature is positive, which keeps the inverse-Hessian estimate positive definite. It stops when
/// the largest gradient component is under <c>tolerance</c>, or when an iteration improves the objective by less than
/// a relative 1e-12 (scipy's stopping rules, with a tighter default).
/// </summary>
internal static class Lbfgs
{
    private const double RelativeProgress = 1e-12;

    /// <summary>Minimises <paramref name="objective"/> from <paramref name="x"/> (updated in place); returns the iterations taken and whether the gradient test was met.</summary>
    public static (int Iterations, bool Converged, double Value) Minimise(
        Func<double[], double[], double> objective, double[] x, double tolerance, int maxIterations, int memory = 10, CancellationToken cancellationToken = default)
    {
        var n = x.Length;
        var g = new double[n];
        var f = objective(x, g);
        var s = new double[memory][];
        var y = new double[memory][];
        var rho = new double[memory];
        var alpha = new double[memory];
        var stored = 0;
        var newest = -1;
        var direction = new double[n];
        var trial = new double[n];
        var trialGradient = new double[n];
        var stepS = new double[n];
        var stepY = new double[n];
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Math.Abs(TensorPrimitives.MaxMagnitude<double>(g)) <= tolerance)
            {
                return (iteration - 1, true, f);
            }

            // Two-loop recursion: direction = −H·g.
            g.AsSpan().CopyTo(direction);
            for (var j = 0; j < stored; j++)
            {
                var m = (newest - j + memory) % memory;
                alpha[m] = rho[m] * TensorPrimitives.Dot<double>(s[m], direction);
                TensorPrimitives.MultiplyAdd(y[m], -alpha[m], direction, direction);
            }

            var gamma = stored > 0 ? 1.0 / (rho[newest] * TensorPrimitives.Dot<double>(y[newest], y[newest])) : 1.0 / Math.Max(1.0, TensorPrimitives.Norm<double>(g));
            TensorPrimitives.Multiply(direction, gamma, direction);
            for (var j = stored - 1; j >= 0; j--)
            {
                var m = (newest - j + memory) % memory;
                var beta = rho[m] * TensorPrimitives.Dot<double>(y[m], direction);
                TensorPrimitives.MultiplyAdd(s[m], alpha[m] - beta, direction, direction);
            }

            TensorPrimitives.Negate(direction, direction);
            var slope = TensorPrimitives.Dot<double>(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                TensorPrimitives.Negate(g, direction);
                slope = -TensorPrimitives.Dot<double>(g, g);
                stored = 0;
            }

            var step = 1.0;
            double trialValue;
            while (true)
            {
                TensorPrimitives.MultiplyAdd(direction, step, x, trial);
                trialValue = objective(trial, trialGradient);
                if (trialValue <= f + (1e-4 * step * slope) || step < 1e-20)
                {
                    break;
                }

                step *= 0.5;
            }

            // The new pair is kept only when its curvature is positive; otherwise the memory stays as it was.
            TensorPrimitives.Subtract(trial, x, stepS);
            TensorPrimitives.Subtract(trialGradient, g, stepY);
            var curvature = TensorPrimitives.Dot<double>(stepS, stepY);
            if (curvature > 1e-12)
            {
                newest = (newest + 1) % memory;
                (s[newest], stepS) = (stepS, s[newest] ?? new double[n]);
                (y[newest], stepY) = (stepY, y[newest] ?? new double[n]);
                rho[newest] = 1.0 / curvature;
                stored = Math.Min(stored + 1, memory);
            }

            var previous = f;
            trial.AsSpan().CopyTo(x);
            trialGradient.AsSpan().CopyTo(g);
            f = trialValue;
            if ((previous - f) / Math.Max(Math.Max(Math.Abs(previous), Math.Abs(f)), 1.0) <= RelativeProgress)
            {
                return (iteration, Math.Abs(TensorPrimitives.MaxMagnitude<double>(g)) <= tolerance, f);
            }
        }

        return (maxIterations, Math.Abs(TensorPrimitives.MaxMagnitude<double>(g)) <= tolerance, f);
    }
}
