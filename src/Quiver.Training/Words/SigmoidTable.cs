namespace Quiver.Training.Words;

/// <summary>word2vec's precomputed logistic function: 1,000 steps over [-6, 6]; outside it the gradient is taken as saturated.</summary>
internal static class SigmoidTable
{
    public const float MaxExp = 6;
    private const int Size = 1000;
    private const float Scale = Size / MaxExp / 2;
    private static readonly float[] Values = Create();

    /// <summary>σ(f) for |f| &lt; <see cref="MaxExp"/>.</summary>
    public static float Sigmoid(float f) => Values[(int)((f + MaxExp) * Scale)];

    private static float[] Create()
    {
        var values = new float[Size + 1];
        for (var i = 0; i <= Size; i++)
        {
            var e = Math.Exp(((i / (double)Size * 2) - 1) * MaxExp);
            values[i] = (float)(e / (e + 1));
        }

        return values;
    }
}
