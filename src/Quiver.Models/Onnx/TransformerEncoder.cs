using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Quiver.Core;
using Quiver.Models.Pooling;

namespace Quiver.Models.Onnx;

/// <summary>
/// Runs a transformer text model on ONNX Runtime: tokenises, truncates or chunks (and says so), sorts inputs by
/// length so batches carry little padding, forms batches by a token budget, pools, normalises and returns vectors
/// in input order. One InferenceSession serves every thread; calls are cancellable.
/// </summary>
public sealed class TransformerEncoder : IDisposable
{
    private static readonly string[] KnownInputs = ["input_ids", "attention_mask", "token_type_ids", "position_ids"];

    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly bool _int32Inputs;
    private readonly string _outputName;
    private readonly bool _outputIsPooled;
    private readonly int _contentLimit;

    private TransformerEncoder(TransformerModelFolder model, TransformerEncoderOptions options, InferenceSession session)
    {
        Model = model;
        Options = options;
        _session = session;
        Pooling = options.Pooling ?? model.Pooling;
        Normalize = options.Normalize ?? model.Normalize;
        MaxLength = Math.Min(options.MaxLength ?? model.MaxLength, model.MaxLength);
        var specials = (model.Tokenizer.StartTokenId is null ? 0 : 1) + (model.Tokenizer.EndTokenId is null ? 0 : 1);
        _contentLimit = MaxLength - specials;
        if (_contentLimit < 1)
        {
            throw new QuiverException($"MaxLength {MaxLength} leaves no room for text beside {specials} special tokens; use at least {specials + 1}.");
        }

        if (options.Truncation == TruncationPolicy.Chunk && (options.ChunkOverlap < 0 || options.ChunkOverlap >= _contentLimit))
        {
            throw new QuiverException($"ChunkOverlap {options.ChunkOverlap} must be from 0 to {_contentLimit - 1} (less than the {_contentLimit} text tokens a window holds).");
        }

        if (options.TokenBudget < MaxLength || options.MaxBatchSize < 1 || options.SortWindow < 1 || options.CallOverheadTokens < 0)
        {
            throw new QuiverException(
                $"TokenBudget ({options.TokenBudget}) must hold one full-length sequence ({MaxLength} tokens); MaxBatchSize ({options.MaxBatchSize}) and SortWindow ({options.SortWindow}) must be positive; CallOverheadTokens ({options.CallOverheadTokens}) must not be negative.");
        }

        var inputs = session.InputMetadata;
        var modelFile = model.ModelPath;
        if (!inputs.ContainsKey("input_ids"))
        {
            throw new ModelFolderException(modelFile, $"the graph has no 'input_ids' input (it has: {string.Join(", ", inputs.Keys)}). Export a text model with input_ids and attention_mask inputs.");
        }

        if (inputs.Keys.FirstOrDefault(k => !KnownInputs.Contains(k)) is { } unknown)
        {
            throw new ModelFolderException(modelFile, $"the graph has an input '{unknown}' Quiver cannot fill; a text model's inputs are {string.Join(", ", KnownInputs)}.");
        }

        _inputNames = [.. KnownInputs.Where(inputs.ContainsKey)];
        var idType = inputs["input_ids"].ElementDataType;
        if (idType is not (TensorElementType.Int64 or TensorElementType.Int32))
        {
            throw new ModelFolderException(modelFile, $"input_ids is {idType}; expected int64 (or int32).");
        }

        _int32Inputs = idType == TensorElementType.Int32;
        var outputs = session.OutputMetadata;
        (_outputName, _outputIsPooled) = outputs.ContainsKey("last_hidden_state") && Options.Pooling is not null || !outputs.ContainsKey("sentence_embedding")
            ? (new[] { "last_hidden_state", "token_embeddings" }.FirstOrDefault(outputs.ContainsKey)
                ?? outputs.FirstOrDefault(o => o.Value.Dimensions.Length == 3).Key
                ?? throw new ModelFolderException(modelFile, $"the graph has no token-vector output (last_hidden_state, or any [batch, sequence, hidden] output); it has: {string.Join(", ", outputs.Keys)}."), false)
            : ("sentence_embedding", true);
        if (_outputIsPooled && options.Pooling is { } requested && !outputs.ContainsKey("last_hidden_state"))
        {
            throw new QuiverException(
                $"{modelFile} gives one pooled vector per input (its output 'sentence_embedding'), not token vectors, so {requested} pooling cannot be applied. Leave Pooling unset.");
        }

        var output = outputs[_outputName];
        var declared = output.Dimensions.Length > 0 ? output.Dimensions[^1] : -1;
        if (declared > 0 && model.HiddenSize is { } hidden && hidden != declared && !_outputIsPooled)
        {
            throw new ModelFolderException(modelFile, $"the output '{_outputName}' has {declared} values per token but config.json says hidden_size {hidden}; config.json belongs to another model.");
        }

        ModelDimensions = declared > 0 ? declared : model.HiddenSize ?? Probe();
        if (options.Dimensions is { } dims && (dims < 1 || dims > ModelDimensions))
        {
            throw new QuiverException($"Dimensions {dims} must be from 1 to the model's {ModelDimensions}.");
        }

        Dimensions = options.Dimensions ?? ModelDimensions;
    }

    public TransformerModelFolder Model { get; }

    public TransformerEncoderOptions Options { get; }

    /// <summary>How token vectors are pooled; unused when <see cref="OutputIsPooled"/>.</summary>
    public PoolingMode Pooling { get; }

    /// <summary>Whether the graph itself returns one vector per input (a sentence_embedding output), so no pooling runs here.</summary>
    public bool OutputIsPooled => _outputIsPooled;

    public bool Normalize { get; }

    /// <summary>The longest sequence given to the model, special tokens included.</summary>
    public int MaxLength { get; }

    /// <summary>The model's own vector size.</summary>
    public int ModelDimensions { get; }

    /// <summary>The size of the vectors returned (smaller than <see cref="ModelDimensions"/> with Matryoshka truncation).</summary>
    public int Dimensions { get; }

    public EncoderStatistics Statistics { get; } = new();

    public static TransformerEncoder Open(string folder, TransformerEncoderOptions? options = null) => Open(TransformerModelFolder.Load(folder), options);

    public static TransformerEncoder Open(TransformerModelFolder model, TransformerEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new TransformerEncoderOptions();
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
        };
        if (!options.AllowSpinning)
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(model.ModelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFolderException(model.ModelPath, $"ONNX Runtime cannot load it ({e.Message}). Check that the file is a complete ONNX model (opset 21 or lower).", e);
        }

        try
        {
            return new TransformerEncoder(model, options, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The token ids the model is given for <paramref name="text"/> (after truncation) and how many were cut.</summary>
    public (int[] Ids, int TruncatedTokens) Tokenize(string text)
    {
        var content = TokenizeContent(text);
        var kept = Math.Min(content.Count, _contentLimit);
        return (Wrap(content, 0, kept), content.Count - kept);
    }

    /// <summary>
    /// The tokens the model runs for <paramref name="text"/> under <paramref name="truncation"/> (the encoder's policy
    /// when null): its sequence with special tokens, cut to <see cref="MaxLength"/> when truncated (or refused, as
    /// <see cref="TruncationPolicy.Error"/> would be when embedded), or every chunk window added up, overlaps and
    /// special tokens included. It tokenises and runs no model, so a host can cost and schedule work before doing it.
    /// </summary>
    public int SequenceTokens(string text, TruncationPolicy? truncation = null) =>
        SequenceTokens(TokenizeContent(text).Count, truncation ?? Options.Truncation);

    /// <summary>What <see cref="SequenceTokens(string, TruncationPolicy?)"/> says for an input given as content token ids (as <see cref="EmbedTokenIds"/> takes them).</summary>
    public int SequenceTokens(IReadOnlyList<int> tokenIds, TruncationPolicy? truncation = null)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        return SequenceTokens(tokenIds.Count, truncation ?? Options.Truncation);
    }

    private int SequenceTokens(int content, TruncationPolicy truncation)
    {
        var specials = MaxLength - _contentLimit;
        if (content <= _contentLimit || truncation != TruncationPolicy.Chunk)
        {
            return Math.Min(content, _contentLimit) + specials;
        }

        var tokens = 0;
        foreach (var (_, take) in Windows(content))
        {
            tokens += take + specials;
        }

        return tokens;
    }

    public IReadOnlyList<EncodedText> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        Embed(texts, truncation: null, cancellationToken);

    /// <summary>Embeds <paramref name="texts"/>; <paramref name="truncation"/>, when given, replaces the encoder's policy for this call.</summary>
    public IReadOnlyList<EncodedText> Embed(IReadOnlyList<string> texts, TruncationPolicy? truncation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return EmbedAll(texts.Count, i => TokenizeContent(texts[i]), truncation ?? Options.Truncation, cancellationToken);
    }

    /// <summary>
    /// Embeds inputs given as token ids of this model's vocabulary (the content only: the model's start and end tokens
    /// are added here, as for text). An id outside the vocabulary is refused with its input and position.
    /// </summary>
    public IReadOnlyList<EncodedText> EmbedTokenIds(IReadOnlyList<IReadOnlyList<int>> inputs, TruncationPolicy? truncation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var vocabulary = Model.Tokenizer.VocabularySize;
        for (var i = 0; i < inputs.Count; i++)
        {
            for (var t = 0; t < inputs[i].Count; t++)
            {
                if ((uint)inputs[i][t] >= (uint)vocabulary)
                {
                    throw new QuiverException(
                        $"Input {i}, token {t}: the id {inputs[i][t]} is outside this model's vocabulary of {vocabulary} tokens (0 to {vocabulary - 1}).");
                }
            }
        }

        return EmbedAll(inputs.Count, i => [.. inputs[i]], truncation ?? Options.Truncation, cancellationToken);
    }

    private List<EncodedText> EmbedAll(int total, Func<int, List<int>> content, TruncationPolicy truncation, CancellationToken cancellationToken)
    {
        var results = new List<EncodedText>(total);
        for (var start = 0; start < total; start += Options.SortWindow)
        {
            var first = start;
            var count = Math.Min(Options.SortWindow, total - first);
            results.AddRange(EmbedWindow(i => content(first + i), count, truncation, cancellationToken, first));
        }

        return results;
    }

    /// <summary>Embeds a stream of any length in windows of <see cref="TransformerEncoderOptions.SortWindow"/> inputs, in order.</summary>
    public IEnumerable<EncodedText> EmbedStream(IEnumerable<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var window = new List<string>(Options.SortWindow);
        var offset = 0;
        foreach (var text in texts)
        {
            window.Add(text);
            if (window.Count == Options.SortWindow)
            {
                foreach (var result in EmbedWindow(i => TokenizeContent(window[i]), window.Count, Options.Truncation, cancellationToken, offset))
                {
                    yield return result;
                }

                offset += window.Count;
                window.Clear();
            }
        }

        if (window.Count > 0)
        {
            foreach (var result in EmbedWindow(i => TokenizeContent(window[i]), window.Count, Options.Truncation, cancellationToken, offset))
            {
                yield return result;
            }
        }
    }

    public void Dispose() => _session.Dispose();

    private List<int> TokenizeContent(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(Math.Min(text.Length / 3 + 8, 4096));
        Model.Tokenizer.EncodeContent(Options.Prompt is null ? text : Options.Prompt + text, ids);
        return ids;
    }

    private int[] Wrap(List<int> content, int start, int count)
    {
        var tokenizer = Model.Tokenizer;
        var ids = new int[count + (tokenizer.StartTokenId is null ? 0 : 1) + (tokenizer.EndTokenId is null ? 0 : 1)];
        var at = 0;
        if (tokenizer.StartTokenId is { } cls)
        {
            ids[at++] = cls;
        }

        content.CopyTo(start, ids, at, count);
        at += count;
        if (tokenizer.EndTokenId is { } sep)
        {
            ids[at] = sep;
        }

        return ids;
    }

    private EncodedText[] EmbedWindow(Func<int, List<int>> tokenize, int count, TruncationPolicy truncation, CancellationToken cancellationToken, int reportedOffset)
    {
        // Tokenise (in parallel: the tokenizer is thread-safe) and cut each input into the sequences the model sees.
        var contents = new List<int>[count];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i => contents[i] = tokenize(i));
        var sequences = new List<(int Input, int[] Ids)>(count);
        var truncated = new int[count];
        var chunks = new int[count];
        var totals = new int[count];
        for (var i = 0; i < count; i++)
        {
            var content = contents[i];
            totals[i] = content.Count + (MaxLength - _contentLimit);
            if (totals[i] == 0)
            {
                throw new QuiverException(
                    $"Input {reportedOffset + i} has no tokens (it is empty), and this model adds no special tokens, so there is nothing to embed. Leave empty texts out or give them some text.");
            }

            if (content.Count <= _contentLimit)
            {
                sequences.Add((i, Wrap(content, 0, content.Count)));
                chunks[i] = 1;
                continue;
            }

            switch (truncation)
            {
                case TruncationPolicy.Error:
                    throw new InputTooLongException(reportedOffset + i, totals[i], MaxLength);
                case TruncationPolicy.Truncate:
                    sequences.Add((i, Wrap(content, 0, _contentLimit)));
                    truncated[i] = content.Count - _contentLimit;
                    chunks[i] = 1;
                    break;
                default:
                    foreach (var (from, take) in Windows(content.Count))
                    {
                        sequences.Add((i, Wrap(content, from, take)));
                        chunks[i]++;
                    }

                    break;
            }
        }

        // Sort by length so each batch pads to nearly its own length; the stable order keeps runs reproducible.
        var order = Enumerable.Range(0, sequences.Count).OrderBy(s => sequences[s].Ids.Length).ToArray();
        var pooled = new float[sequences.Count][];
        var at = 0;
        foreach (var size in CutCalls(order.Select(s => sequences[s].Ids.Length).ToArray()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunBatch(sequences, order.AsSpan(at, size), pooled, cancellationToken);
            at += size;
        }

        var results = new EncodedText[count];
        var sequence = 0;
        for (var i = 0; i < count; i++)
        {
            var vector = pooled[sequence];
            if (chunks[i] > 1)
            {
                // Windows weighted by their tokens, so a short tail window counts for what it holds.
                vector = new float[ModelDimensions];
                float weightSum = 0;
                for (var c = 0; c < chunks[i]; c++)
                {
                    float weight = sequences[sequence + c].Ids.Length;
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(pooled[sequence + c], weight, vector, vector);
                    weightSum += weight;
                }

                System.Numerics.Tensors.TensorPrimitives.Multiply(vector, 1f / weightSum, vector);
            }

            vector = Matryoshka.Shorten(vector, Dimensions, normalize: false);
            if (Normalize)
            {
                TokenPooling.Normalize(vector);
            }

            results[i] = new EncodedText(vector, totals[i], truncated[i], chunks[i]);
            sequence += chunks[i];
        }

        return results;
    }

    /// <summary>The chunk windows (start and length in content tokens) of a content of <paramref name="count"/> tokens, in order.</summary>
    private IEnumerable<(int From, int Take)> Windows(int count)
    {
        // Chunking asked per call may meet an overlap the window cannot hold (refused only when set at open): step by half windows then.
        var stride = Math.Max(_contentLimit - Options.ChunkOverlap, (_contentLimit + 1) / 2);
        for (var from = 0; ; from += stride)
        {
            var take = Math.Min(_contentLimit, count - from);
            yield return (from, take);
            if (from + take >= count)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Cuts lengths sorted ascending into consecutive model calls of at most <see cref="TransformerEncoderOptions.MaxBatchSize"/>
    /// sequences and <see cref="TransformerEncoderOptions.TokenBudget"/> padded tokens, minimising the padded tokens
    /// plus <see cref="TransformerEncoderOptions.CallOverheadTokens"/> per call (a shortest path over the cut points).
    /// A few mixed lengths (a server's batch of waiting requests) then run as several tight calls instead of one
    /// padded to the longest, and many (a corpus) as full calls.
    /// </summary>
    internal int[] CutCalls(int[] sortedLengths) =>
        CutCalls(sortedLengths, Options.MaxBatchSize, Options.TokenBudget, Options.CallOverheadTokens);

    internal static int[] CutCalls(int[] sortedLengths, int maxBatch, int tokenBudget, int callOverhead)
    {
        var n = sortedLengths.Length;
        var cost = new long[n + 1];
        var from = new int[n + 1];
        for (var end = 1; end <= n; end++)
        {
            // The call ending at end pads to sortedLengths[end - 1], the longest in it.
            long longest = sortedLengths[end - 1];
            cost[end] = long.MaxValue;
            for (var size = 1; size <= Math.Min(maxBatch, end); size++)
            {
                if (size > 1 && size * longest > tokenBudget)
                {
                    break;
                }

                var total = cost[end - size] + callOverhead + size * longest;
                if (total < cost[end])
                {
                    cost[end] = total;
                    from[end] = end - size;
                }
            }
        }

        var sizes = new List<int>();
        for (var end = n; end > 0; end = from[end])
        {
            sizes.Add(end - from[end]);
        }

        sizes.Reverse();
        return [.. sizes];
    }

    private void RunBatch(List<(int Input, int[] Ids)> sequences, ReadOnlySpan<int> batch, float[][] pooled, CancellationToken cancellationToken)
    {
        var rows = batch.Length;
        var length = 0;
        long real = 0;
        foreach (var s in batch)
        {
            length = Math.Max(length, sequences[s].Ids.Length);
            real += sequences[s].Ids.Length;
        }

        var shape = new long[] { rows, length };
        var values = new List<OrtValue>(_inputNames.Length);
        try
        {
            foreach (var name in _inputNames)
            {
                values.Add(Input(name, sequences, batch, length, shape));
            }

            using var runOptions = new RunOptions();
            using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
            IDisposableReadOnlyCollection<OrtValue> outputs;
            try
            {
                outputs = _session.Run(runOptions, _inputNames, values, [_outputName]);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            using (outputs)
            {
                var output = outputs[0];
                var outputShape = output.GetTensorTypeAndShape().Shape;
                var data = output.GetTensorDataAsSpan<float>();
                var hidden = (int)outputShape[^1];
                if (hidden != ModelDimensions)
                {
                    throw new QuiverException($"{Model.ModelPath} returned {hidden} values per vector where {ModelDimensions} were expected; the model's output shape is not fixed.");
                }

                for (var r = 0; r < rows; r++)
                {
                    var vector = new float[hidden];
                    if (_outputIsPooled)
                    {
                        data.Slice(r * hidden, hidden).CopyTo(vector);
                    }
                    else
                    {
                        var rowLength = sequences[batch[r]].Ids.Length;
                        TokenPooling.Pool(data.Slice(r * length * hidden, length * hidden), rowLength, hidden, Pooling, vector);
                    }

                    pooled[batch[r]] = vector;
                }
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }

        Statistics.AddBatch(rows, real, (long)rows * length);
    }

    private OrtValue Input(string name, List<(int Input, int[] Ids)> sequences, ReadOnlySpan<int> batch, int length, long[] shape)
    {
        var data = new long[batch.Length * length];
        for (var r = 0; r < batch.Length; r++)
        {
            var ids = sequences[batch[r]].Ids;
            var row = data.AsSpan(r * length, length);
            switch (name)
            {
                case "input_ids":
                    for (var t = 0; t < ids.Length; t++)
                    {
                        row[t] = ids[t];
                    }

                    row[ids.Length..].Fill(Model.Tokenizer.PadTokenId);
                    break;
                case "attention_mask":
                    row[..ids.Length].Fill(1);
                    break;
                case "position_ids":
                    for (var t = 0; t < length; t++)
                    {
                        row[t] = t;
                    }

                    break;
            }
        }

        // token_type_ids stay 0: a single sequence is segment A.
        return _int32Inputs
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, v => (int)v), shape)
            : OrtValue.CreateTensorValueFromMemory(data, shape);
    }

    private int Probe()
    {
        var sequences = new List<(int Input, int[] Ids)> { (0, Wrap(TokenizeContent("probe"), 0, Math.Min(1, _contentLimit))) };
        using var runOptions = new RunOptions();
        var shape = new long[] { 1, sequences[0].Ids.Length };
        var values = _inputNames.Select(n => Input(n, sequences, [0], (int)shape[1], shape)).ToList();
        try
        {
            using var outputs = _session.Run(runOptions, _inputNames, values, [_outputName]);
            return (int)outputs[0].GetTensorTypeAndShape().Shape[^1];
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }
}
