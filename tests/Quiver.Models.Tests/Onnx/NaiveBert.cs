using Quiver.Catalogue.Synthetic;

namespace Quiver.Models.Tests.Onnx;

/// <summary>
/// BERT's forward pass written out loop by loop in double precision, straight from the paper's equations and
/// Hugging Face's BertModel, sharing nothing with the ONNX graph but the weights. Masking is by exclusion: the
/// sequence is run alone, so padded keys are simply not there.
/// </summary>
internal static class NaiveBert
{
    /// <summary>last_hidden_state for one unpadded sequence: [tokens][hidden].</summary>
    /// <param name="dense">
    /// How a dense layer computes x·W + b from the rows x, the [in, out] weights W and the bias b; exact by default, and
    /// the arithmetic of a quantised model in the int8 tests.
    /// </param>
    public static double[][] Forward(
        SyntheticBertWeights weights, IReadOnlyList<long> ids, IReadOnlyList<long>? typeIds = null, Func<double[][], float[], float[], double[][]>? dense = null)
    {
        var linear = dense ?? Dense;
        var options = weights.Options;
        var (n, h) = (ids.Count, options.Hidden);
        var x = new double[n][];
        for (var t = 0; t < n; t++)
        {
            var (word, type) = ((int)ids[t] * h, (int)(typeIds?[t] ?? 0) * h);
            x[t] = new double[h];
            for (var j = 0; j < h; j++)
            {
                x[t][j] = (double)weights.WordEmbeddings[word + j] + weights.PositionEmbeddings[(t * h) + j] + weights.TokenTypeEmbeddings[type + j];
            }
        }

        x = LayerNorm(x, weights.EmbeddingNormScale, weights.EmbeddingNormShift);
        foreach (var layer in weights.Layers)
        {
            var q = linear(x, layer.QueryWeight, layer.QueryBias);
            var k = linear(x, layer.KeyWeight, layer.KeyBias);
            var v = linear(x, layer.ValueWeight, layer.ValueBias);
            var context = Attention(q, k, v, options.Heads);
            var attended = linear(context, layer.AttentionOutputWeight, layer.AttentionOutputBias);
            x = LayerNorm(Sum(attended, x), layer.AttentionNormScale, layer.AttentionNormShift);

            var inner = linear(x, layer.IntermediateWeight, layer.IntermediateBias);
            foreach (var row in inner)
            {
                for (var j = 0; j < row.Length; j++)
                {
                    row[j] = 0.5 * row[j] * (1 + Erf(row[j] / Math.Sqrt(2)));
                }
            }

            var output = linear(inner, layer.OutputWeight, layer.OutputBias);
            x = LayerNorm(Sum(output, x), layer.OutputNormScale, layer.OutputNormShift);
        }

        return x;
    }

    /// <summary>
    /// erf to about 1e-13: its Maclaurin series below 3, where the largest term is a few hundred so cancellation costs
    /// at most 3 digits, and the continued fraction for erfc above, which converges quickly there.
    /// </summary>
    public static double Erf(double z)
    {
        var a = Math.Abs(z);
        double result;
        if (a < 3)
        {
            double sum = 0, term = a;
            for (var n = 0; Math.Abs(term) > 1e-17 * Math.Abs(sum) || n < 3; n++)
            {
                sum += term / ((2 * n) + 1);
                term *= -a * a / (n + 1);
            }

            result = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            // erfc(a) = exp(-a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))), evaluated from the tail.
            double fraction = a;
            for (var n = 60; n >= 1; n--)
            {
                fraction = a + (n / 2.0 / fraction);
            }

            result = 1 - (Math.Exp(-a * a) / Math.Sqrt(Math.PI) / fraction);
        }

        return z < 0 ? -result : result;
    }

    private static double[][] Dense(double[][] input, float[] weight, float[] bias)
    {
        var outputs = bias.Length;
        var result = new double[input.Length][];
        for (var t = 0; t < input.Length; t++)
        {
            var row = new double[outputs];
            for (var o = 0; o < outputs; o++)
            {
                row[o] = bias[o];
            }

            for (var i = 0; i < input[t].Length; i++)
            {
                var value = input[t][i];
                var offset = i * outputs;
                for (var o = 0; o < outputs; o++)
                {
                    row[o] += value * weight[offset + o];
                }
            }

            result[t] = row;
        }

        return result;
    }

    private static double[][] Attention(double[][] q, double[][] k, double[][] v, int heads)
    {
        var (n, h) = (q.Length, q[0].Length);
        var size = h / heads;
        var context = new double[n][];
        for (var t = 0; t < n; t++)
        {
            context[t] = new double[h];
        }

        var weights = new double[n];
        for (var head = 0; head < heads; head++)
        {
            var start = head * size;
            for (var i = 0; i < n; i++)
            {
                var max = double.NegativeInfinity;
                for (var j = 0; j < n; j++)
                {
                    double dot = 0;
                    for (var d = start; d < start + size; d++)
                    {
                        dot += q[i][d] * k[j][d];
                    }

                    weights[j] = dot / Math.Sqrt(size);
                    max = Math.Max(max, weights[j]);
                }

                double total = 0;
                for (var j = 0; j < n; j++)
                {
                    weights[j] = Math.Exp(weights[j] - max);
                    total += weights[j];
                }

                for (var j = 0; j < n; j++)
                {
                    for (var d = start; d < start + size; d++)
                    {
                        context[i][d] += weights[j] / total * v[j][d];
                    }
                }
            }
        }

        return context;
    }

    private static double[][] Sum(double[][] a, double[][] b) =>
        [.. a.Select((row, t) => row.Select((value, j) => value + b[t][j]).ToArray())];

    private static double[][] LayerNorm(double[][] x, float[] scale, float[] shift)
    {
        const double epsilon = 1e-12;
        return [.. x.Select(row =>
        {
            var mean = row.Average();
            var variance = row.Select(value => (value - mean) * (value - mean)).Average();
            var inverse = 1 / Math.Sqrt(variance + epsilon);
            return row.Select((value, j) => ((value - mean) * inverse * scale[j]) + shift[j]).ToArray();
        })];
    }
}
