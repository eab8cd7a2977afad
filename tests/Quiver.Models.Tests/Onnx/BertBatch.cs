using Microsoft.ML.OnnxRuntime;
using Quiver.Catalogue.Synthetic;

namespace Quiver.Models.Tests.Onnx;

/// <summary>Random token sequences for BERT models, and a runner that feeds them to a model as one right-padded batch.</summary>
internal static class BertBatch
{
    /// <summary>Random token ids above BERT's special tokens; segment 0 for the first half of each sequence, 1 for the rest.</summary>
    public static (long[][] Ids, long[][] Types) Sequences(SyntheticBertOptions options, int[] lengths, int seed)
    {
        var random = new Random(seed);
        var ids = lengths.Select(n => Enumerable.Range(0, n).Select(_ => (long)random.Next(1000, options.VocabSize)).ToArray()).ToArray();
        var types = lengths.Select(n => Enumerable.Range(0, n).Select(t => t < n / 2 ? 0L : Math.Min(1L, options.TypeVocabSize - 1)).ToArray()).ToArray();
        return (ids, types);
    }

    /// <summary>Runs a right-padded batch (id 0, mask 0, segment 0 after each sequence's end).</summary>
    public static BertOutput Run(
        string path,
        long[][] ids,
        long[][]? types,
        GraphOptimizationLevel optimization = GraphOptimizationLevel.ORT_ENABLE_ALL,
        bool maskPadding = true)
    {
        var (batch, length) = (ids.Length, ids.Max(s => s.Length));
        var inputIds = new long[batch * length];
        var mask = new long[batch * length];
        var typeIds = new long[batch * length];
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < length; t++)
            {
                var real = t < ids[b].Length;
                inputIds[(b * length) + t] = real ? ids[b][t] : 0;
                mask[(b * length) + t] = real || !maskPadding ? 1 : 0;
                typeIds[(b * length) + t] = real && types is not null ? types[b][t] : 0;
            }
        }

        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = optimization };
        using var session = new InferenceSession(path, sessionOptions);
        long[] shape = [batch, length];
        var names = new List<string> { "input_ids", "attention_mask" };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(inputIds, shape), OrtValue.CreateTensorValueFromMemory(mask, shape) };
        if (types is not null)
        {
            names.Add("token_type_ids");
            values.Add(OrtValue.CreateTensorValueFromMemory(typeIds, shape));
        }

        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, names, values, ["last_hidden_state"]);
            return new BertOutput(results[0].GetTensorDataAsSpan<float>().ToArray(), results[0].GetTensorTypeAndShape().Shape);
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }
}
