namespace Quiver.Catalogue.Synthetic;

/// <summary>
/// A synthetic BERT's weights, drawn from <see cref="SyntheticBertOptions.Seed"/> in a fixed order, so tests can run a
/// reference forward pass over exactly the numbers the ONNX file holds.
/// </summary>
internal sealed class SyntheticBertWeights
{
    private SyntheticBertWeights(SyntheticBertOptions options, Gaussian gaussian)
    {
        Options = options;
        var (h, std) = (options.Hidden, options.InitStd);
        WordEmbeddings = gaussian.Draw(options.VocabSize * h, 0, std);
        PositionEmbeddings = gaussian.Draw(options.MaxPositions * h, 0, std);
        TokenTypeEmbeddings = gaussian.Draw(options.TypeVocabSize * h, 0, std);
        EmbeddingNormScale = gaussian.Draw(h, 1, std);
        EmbeddingNormShift = gaussian.Draw(h, 0, std);
        var layers = new SyntheticBertLayerWeights[options.Layers];
        for (var i = 0; i < layers.Length; i++)
        {
            var inner = options.Intermediate;
            layers[i] = new SyntheticBertLayerWeights
            {
                QueryWeight = gaussian.Draw(h * h, 0, std),
                QueryBias = gaussian.Draw(h, 0, std),
                KeyWeight = gaussian.Draw(h * h, 0, std),
                KeyBias = gaussian.Draw(h, 0, std),
                ValueWeight = gaussian.Draw(h * h, 0, std),
                ValueBias = gaussian.Draw(h, 0, std),
                AttentionOutputWeight = gaussian.Draw(h * h, 0, std),
                AttentionOutputBias = gaussian.Draw(h, 0, std),
                AttentionNormScale = gaussian.Draw(h, 1, std),
                AttentionNormShift = gaussian.Draw(h, 0, std),
                IntermediateWeight = gaussian.Draw(h * inner, 0, std),
                IntermediateBias = gaussian.Draw(inner, 0, std),
                OutputWeight = gaussian.Draw(inner * h, 0, std),
                OutputBias = gaussian.Draw(h, 0, std),
                OutputNormScale = gaussian.Draw(h, 1, std),
                OutputNormShift = gaussian.Draw(h, 0, std),
            };
        }

        Layers = layers;
    }

    public SyntheticBertOptions Options { get; }

    /// <summary>[vocab, hidden].</summary>
    public float[] WordEmbeddings { get; }

    /// <summary>[max positions, hidden].</summary>
    public float[] PositionEmbeddings { get; }

    /// <summary>[type vocab, hidden].</summary>
    public float[] TokenTypeEmbeddings { get; }

    public float[] EmbeddingNormScale { get; }

    public float[] EmbeddingNormShift { get; }

    public IReadOnlyList<SyntheticBertLayerWeights> Layers { get; }

    public static SyntheticBertWeights Generate(SyntheticBertOptions options)
    {
        options.Validate();
        return new SyntheticBertWeights(options, new Gaussian(options.Seed));
    }

    /// <summary>
    /// Box–Muller over a seeded <see cref="Random"/>, using both values of each pair, so the MiniLM shape's 22.6M
    /// draws take a fraction of a second. The same seed gives the same weights on the same .NET runtime; .NET does
    /// not promise the seeded sequence across major versions, so nothing should depend on the exact numbers.
    /// </summary>
    private sealed class Gaussian(int seed)
    {
        private readonly Random _random = new(seed);
        private double _spare;
        private bool _hasSpare;

        public float[] Draw(int count, double mean, double std)
        {
            var values = new float[count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)(mean + (std * Next()));
            }

            return values;
        }

        private double Next()
        {
            if (_hasSpare)
            {
                _hasSpare = false;
                return _spare;
            }

            // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
            var radius = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble()));
            var (sin, cos) = Math.SinCos(2 * Math.PI * _random.NextDouble());
            _spare = radius * sin;
            _hasSpare = true;
            return radius * cos;
        }
    }
}
