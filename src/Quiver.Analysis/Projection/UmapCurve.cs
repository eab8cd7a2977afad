namespace Quiver.Analysis.Projection;

/// <summary>
/// The a and b of UMAP's low-dimensional similarity 1 / (1 + a·d^(2b)), fitted by least squares (Levenberg-Marquardt)
/// to the curve that is 1 up to min_dist and exp(−(d − min_dist) / spread) beyond, on 300 points of [0, 3·spread],
/// as umap-learn's find_ab_params does with SciPy's curve_fit.
/// </summary>
public static class UmapCurve
{
    public static (double A, double B) Fit(double minDistance, double spread)
    {
        if (!(spread > 0) || !(minDistance >= 0) || minDistance > spread)
        {
            throw new Core.QuiverException(
                $"UMAP needs 0 ≤ min-dist ≤ spread and spread > 0; got min-dist {minDistance} and spread {spread}. The usual values are 0.1 and 1.");
        }

        const int Points = 300;
        var x = new double[Points];
        var target = new double[Points];
        for (var i = 0; i < Points; i++)
        {
            x[i] = 3 * spread * i / (Points - 1);
            target[i] = x[i] < minDistance ? 1 : Math.Exp(-(x[i] - minDistance) / spread);
        }

        double a = 1, b = 1, lambda = 1e-3;
        var error = Error(x, target, a, b);
        for (var iteration = 0; iteration < 500; iteration++)
        {
            // Normal equations of the 2-parameter Gauss-Newton step, damped by λ on the diagonal.
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (var i = 0; i < Points; i++)
            {
                if (x[i] <= 0)
                {
                    continue;
                }

                var u = Math.Pow(x[i], 2 * b);
                var f = 1 / (1 + (a * u));
                var residual = f - target[i];
                var da = -u * f * f;
                var db = -a * u * 2 * Math.Log(x[i]) * f * f;
                jaa += da * da;
                jab += da * db;
                jbb += db * db;
                ga += da * residual;
                gb += db * residual;
            }

            var improved = false;
            while (lambda < 1e10)
            {
                double maa = jaa * (1 + lambda), mbb = jbb * (1 + lambda);
                var determinant = (maa * mbb) - (jab * jab);
                var stepA = -((mbb * ga) - (jab * gb)) / determinant;
                var stepB = -((maa * gb) - (jab * ga)) / determinant;
                var trial = Error(x, target, a + stepA, b + stepB);
                if (double.IsFinite(trial) && trial < error && a + stepA > 0 && b + stepB > 0)
                {
                    improved = error - trial > 1e-15 * error;
                    a += stepA;
                    b += stepB;
                    error = trial;
                    lambda = Math.Max(lambda / 10, 1e-12);
                    break;
                }

                lambda *= 10;
            }

            if (!improved)
            {
                break;
            }
        }

        return (a, b);
    }

    private static double Error(double[] x, double[] target, double a, double b)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            var f = 1 / (1 + (a * Math.Pow(x[i], 2 * b)));
            sum += (f - target[i]) * (f - target[i]);
        }

        return sum;
    }
}
