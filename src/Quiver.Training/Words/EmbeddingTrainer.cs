using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Quiver.Core;

namespace Quiver.Training.Words;

/// <summary>How document vectors take part in training (Doc2Vec), if at all.</summary>
internal enum DocumentMode
{
    None,

    /// <summary>PV-DBOW: the document's vector predicts each of its words.</summary>
    DistributedBagOfWords,

    /// <summary>PV-DM: the document's vector joins the mean of the context words (CBOW) that predicts the centre word.</summary>
    DistributedMemory,
}

/// <summary>
/// The shared engine of Word2Vec, fastText and Doc2Vec: skip-gram or CBOW over input rows, with negative sampling
/// and/or hierarchical softmax, trained Hogwild (threads update shared rows without locks, each thread on its own
/// part of the corpus), with word2vec's subsampling, dynamic window and linear learning-rate decay.
/// </summary>
/// <remarks>
/// A word's input is one or more rows of the input matrix: its own row for word2vec, its row and its character
/// n-gram buckets for fastText (the hidden vector is their mean, and each row receives the whole gradient, as
/// fastText does). Document vectors (Doc2Vec) are rows of their own matrix, so that inference can train a new
/// document's row against a trained model's word and output rows without copying them.
/// </remarks>
internal sealed unsafe class EmbeddingTrainer
{
    private const int ProgressStep = 10_000;

    private readonly int _dims;
    private readonly int _vocabularySize;
    private readonly float[] _input;
    private readonly float[] _documents;
    private readonly float[]? _outputNegative;
    private readonly float[]? _outputSoftmax;
    private readonly float[] _keep;
    private readonly UnigramTable? _table;
    private readonly HuffmanTree? _tree;
    private readonly int[] _rowOffsets;
    private readonly int[] _rows;
    private long _wordsDone;

    /// <param name="counts">Vocabulary counts, most frequent first.</param>
    /// <param name="extraRows">Input rows after the words (n-gram buckets).</param>
    /// <param name="documents">Document vectors to train (Doc2Vec).</param>
    /// <param name="rowOffsets">With <paramref name="rows"/>: word w's input rows are rows[rowOffsets[w]..rowOffsets[w+1]]; null means its own row only.</param>
    public EmbeddingTrainer(Word2VecOptions options, ReadOnlySpan<long> counts, int extraRows = 0, int[]? rowOffsets = null, int[]? rows = null, int documents = 0)
    {
        options.Validate();
        Options = options;
        _dims = options.Dimensions;
        _vocabularySize = counts.Length;
        InputRows = counts.Length + extraRows;
        var inputLength = (long)InputRows * _dims;
        if (inputLength > Array.MaxLength)
        {
            throw new QuiverException($"{InputRows:N0} rows of {_dims} dimensions do not fit in one table; lower the dimensions, the buckets or the vocabulary (min-count).");
        }

        TrainWords = 0;
        foreach (var c in counts)
        {
            TrainWords += c;
        }

        _input = GC.AllocateUninitializedArray<float>((int)inputLength, pinned: true);
        var init = new Lcg(options.Seed);
        Randomize(_input, ref init);
        _documents = GC.AllocateUninitializedArray<float>(documents * _dims, pinned: true);
        Randomize(_documents, ref init);

        if (options.Negative > 0)
        {
            _outputNegative = GC.AllocateArray<float>(counts.Length * _dims, pinned: true);
            _table = new UnigramTable(counts, UnigramTable.DefaultSize);
        }

        if (options.HierarchicalSoftmax)
        {
            _tree = new HuffmanTree(counts);
            _outputSoftmax = GC.AllocateArray<float>(counts.Length * _dims, pinned: true);
        }

        _keep = KeepProbabilities(counts, options.Sample);
        // Without subwords each word's input is its own row: the identity map, so one lookup path serves both.
        _rowOffsets = rowOffsets ?? [.. Enumerable.Range(0, counts.Length + 1)];
        _rows = rows ?? [.. Enumerable.Range(0, counts.Length)];
    }

    /// <summary>A trainer of new document rows only, against a trained model's word and output rows (shared, left unchanged).</summary>
    /// <param name="table">The model's negative-sampling table, built once per model rather than per inference.</param>
    /// <param name="tree">The model's Huffman tree, likewise.</param>
    public EmbeddingTrainer(Word2VecOptions options, ReadOnlySpan<long> counts, float[] input, float[]? outputNegative, float[]? outputSoftmax, UnigramTable? table, HuffmanTree? tree, int documents, ulong seed)
    {
        Options = options;
        _dims = options.Dimensions;
        _vocabularySize = counts.Length;
        InputRows = input.Length / _dims;
        foreach (var c in counts)
        {
            TrainWords += c;
        }

        _input = input;
        _outputNegative = outputNegative;
        _outputSoftmax = outputSoftmax;
        _table = outputNegative is null ? null : table ?? new UnigramTable(counts, UnigramTable.DefaultSize);
        _tree = outputSoftmax is null ? null : tree ?? new HuffmanTree(counts);
        _keep = KeepProbabilities(counts, options.Sample);
        _rowOffsets = [.. Enumerable.Range(0, counts.Length + 1)];
        _rows = [.. Enumerable.Range(0, counts.Length)];
        _documents = GC.AllocateUninitializedArray<float>(documents * _dims, pinned: true);
        var init = new Lcg(seed);
        Randomize(_documents, ref init);
        FreezeWords = true;
    }

    public Word2VecOptions Options { get; }

    /// <summary>The document vectors, row-major.</summary>
    public float[] DocumentVectors => _documents;

    /// <summary>The negative-sampling output rows (null without negative sampling).</summary>
    public float[]? OutputNegative => _outputNegative;

    /// <summary>The hierarchical-softmax output rows (null without it).</summary>
    public float[]? OutputSoftmax => _outputSoftmax;

    public DocumentMode Documents { get; init; }

    /// <summary>With PV-DBOW, also train word vectors by skip-gram (Doc2Vec's dbow_words).</summary>
    public bool TrainWordsWithDocuments { get; init; }

    /// <summary>Leave word and output rows as they are and train document rows only (inference of new documents).</summary>
    public bool FreezeWords { get; init; }

    public int InputRows { get; }

    /// <summary>The corpus tokens the counts cover (word2vec's train_words).</summary>
    public long TrainWords { get; }

    /// <summary>The input matrix, row-major; rows [0, vocabulary) are the words.</summary>
    public float[] Input => _input;

    /// <summary>
    /// word2vec's probability of keeping a word in a sentence: (√(c / (s·N)) + 1)·(s·N) / c for a word seen c times
    /// of N, with threshold s; above 1 means always.
    /// </summary>
    public static float[] KeepProbabilities(ReadOnlySpan<long> counts, double sample)
    {
        var keep = new float[counts.Length];
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            var threshold = sample * total;
            keep[i] = sample > 0 && counts[i] > 0 ? (float)((Math.Sqrt(counts[i] / threshold) + 1) * threshold / counts[i]) : float.PositiveInfinity;
        }

        return keep;
    }

    /// <summary>Trains all epochs; <paramref name="read"/>(part, parts) streams one thread's share of the sentences.</summary>
    public TimeSpan Train(Func<int, int, CancellationToken, IEnumerable<TrainingSentence>> read, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var threads = Options.Threads;
        var total = Options.Epochs * TrainWords;
        var clock = Stopwatch.StartNew();
        _wordsDone = 0;
        var workers = new Thread[threads];
        Exception? failure = null;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        for (var t = 0; t < threads; t++)
        {
            var part = t;
            workers[t] = new Thread(() =>
            {
                try
                {
                    RunThread(part, threads, read, cancel.Token);
                }
                catch (OperationCanceledException)
                {
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    cancel.Cancel();
                }
            })
            {
                IsBackground = true,
                Name = $"quiver-train-{t}",
            };
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            while (!worker.Join(250))
            {
                progress?.Report(new TrainingProgress(Volatile.Read(ref _wordsDone), total, LearningRate(Volatile.Read(ref _wordsDone)), clock.Elapsed));
            }
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"A training thread failed: {failure.Message}", failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new TrainingProgress(_wordsDone, total, LearningRate(_wordsDone), clock.Elapsed));
        return clock.Elapsed;
    }

    public long WordsDone => _wordsDone;

    /// <summary>word2vec's initial weights: uniform in [-0.5, 0.5) / dimensions from the LCG.</summary>
    private void Randomize(float[] rows, ref Lcg rng)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = (rng.NextUnit16() - 0.5f) / _dims;
        }
    }

    private float LearningRate(long wordsDone)
    {
        var start = Options.StartingLearningRate;
        var alpha = start * (1 - (wordsDone / (float)((Options.Epochs * TrainWords) + 1)));
        return Math.Max(alpha, start * 0.0001f);
    }

    private void RunThread(int part, int parts, Func<int, int, CancellationToken, IEnumerable<TrainingSentence>> read, CancellationToken cancellationToken)
    {
        var rng = new Lcg(Options.Seed + (ulong)part);
        var neu1 = stackalloc float[_dims];
        var neu1e = stackalloc float[_dims];
        var sentence = new int[1024];
        var alpha = Options.StartingLearningRate;
        fixed (float* keep = _keep)
        {
            for (var epoch = 0; epoch < Options.Epochs; epoch++)
            {
                long wordCount = 0;
                long lastWordCount = 0;
                foreach (var (ids, document) in read(part, parts, cancellationToken))
                {
                    // word2vec counts the sentence end as a word too.
                    wordCount += ids.Count + 1;
                    if (wordCount - lastWordCount > ProgressStep)
                    {
                        var done = Interlocked.Add(ref _wordsDone, wordCount - lastWordCount);
                        lastWordCount = wordCount;
                        alpha = LearningRate(done);
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (sentence.Length < ids.Count)
                    {
                        sentence = new int[ids.Count];
                    }

                    var n = 0;
                    var source = ids.AsSpan();
                    for (var i = 0; i < source.Length; i++)
                    {
                        var w = source[i];
                        if (keep[w] < rng.NextUnit16())
                        {
                            continue;
                        }

                        sentence[n++] = w;
                    }

                    fixed (int* sen = sentence)
                    {
                        TrainSentence(sen, n, document, alpha, ref rng, neu1, neu1e);
                    }
                }

                Interlocked.Add(ref _wordsDone, wordCount - lastWordCount);
            }
        }
    }

    /// <summary>One pass over one document on the calling thread (inference), subsampled as in training.</summary>
    public void TrainDocument(ReadOnlySpan<int> ids, int document, float alpha, ref Lcg rng)
    {
        var neu1 = stackalloc float[_dims];
        var neu1e = stackalloc float[_dims];
        var sentence = new int[Math.Max(1, ids.Length)];
        var n = 0;
        foreach (var w in ids)
        {
            if (_keep[w] >= rng.NextUnit16())
            {
                sentence[n++] = w;
            }
        }

        fixed (int* sen = sentence)
        {
            TrainSentence(sen, n, document, alpha, ref rng, neu1, neu1e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TrainSentence(int* sen, int length, int document, float alpha, ref Lcg rng, float* neu1, float* neu1e)
    {
        var dims = _dims;
        var window = Options.Window;
        fixed (float* input = _input)
        fixed (float* documents = _documents)
        {
            if (Documents == DocumentMode.DistributedBagOfWords && document >= 0)
            {
                var docRow = documents + ((long)document * dims);
                for (var pos = 0; pos < length; pos++)
                {
                    KernelsClear(neu1e);
                    Learn(sen[pos], docRow, neu1e, alpha, ref rng, learnOutput: !FreezeWords);
                    VectorKernels.Add(neu1e, docRow, dims);
                }

                if (!TrainWordsWithDocuments || FreezeWords)
                {
                    return;
                }
            }

            var cbow = Options.Cbow || Documents == DocumentMode.DistributedMemory;
            for (var pos = 0; pos < length; pos++)
            {
                var word = sen[pos];
                var b = (int)(rng.Next() % (ulong)window);
                if (cbow)
                {
                    KernelsClear(neu1);
                    var cw = 0;
                    if (Documents == DocumentMode.DistributedMemory && document >= 0)
                    {
                        VectorKernels.Add(documents + ((long)document * dims), neu1, dims);
                        cw++;
                    }

                    for (var a = b; a < (window * 2) + 1 - b; a++)
                    {
                        var c = pos - window + a;
                        if (a == window || c < 0 || c >= length)
                        {
                            continue;
                        }

                        foreach (var row in RowsOf(sen[c]))
                        {
                            VectorKernels.Add(input + ((long)row * dims), neu1, dims);
                            cw++;
                        }
                    }

                    if (cw == 0)
                    {
                        continue;
                    }

                    VectorKernels.Scale(neu1, 1f / cw, dims);
                    KernelsClear(neu1e);
                    Learn(word, neu1, neu1e, alpha, ref rng, learnOutput: !FreezeWords);
                    if (Documents == DocumentMode.DistributedMemory && document >= 0)
                    {
                        VectorKernels.Add(neu1e, documents + ((long)document * dims), dims);
                    }

                    if (FreezeWords)
                    {
                        continue;
                    }

                    for (var a = b; a < (window * 2) + 1 - b; a++)
                    {
                        var c = pos - window + a;
                        if (a == window || c < 0 || c >= length)
                        {
                            continue;
                        }

                        foreach (var row in RowsOf(sen[c]))
                        {
                            VectorKernels.Add(neu1e, input + ((long)row * dims), dims);
                        }
                    }
                }
                else
                {
                    for (var a = b; a < (window * 2) + 1 - b; a++)
                    {
                        var c = pos - window + a;
                        if (a == window || c < 0 || c >= length)
                        {
                            continue;
                        }

                        var rows = RowsOf(sen[c]);
                        float* hidden;
                        if (rows.Length == 1)
                        {
                            hidden = input + ((long)rows[0] * dims);
                        }
                        else
                        {
                            KernelsClear(neu1);
                            foreach (var row in rows)
                            {
                                VectorKernels.Add(input + ((long)row * dims), neu1, dims);
                            }

                            VectorKernels.Scale(neu1, 1f / rows.Length, dims);
                            hidden = neu1;
                        }

                        KernelsClear(neu1e);
                        Learn(word, hidden, neu1e, alpha, ref rng, learnOutput: true);
                        foreach (var row in rows)
                        {
                            VectorKernels.Add(neu1e, input + ((long)row * dims), dims);
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void KernelsClear(float* x) => VectorKernels.Clear(x, _dims);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<int> RowsOf(int word)
    {
        var start = _rowOffsets[word];
        return _rows.AsSpan(start, _rowOffsets[word + 1] - start);
    }

    /// <summary>
    /// One prediction of <paramref name="target"/> from <paramref name="hidden"/>: accumulates the hidden vector's
    /// gradient in <paramref name="gradient"/> and (unless frozen) updates the output rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Learn(int target, float* hidden, float* gradient, float alpha, ref Lcg rng, bool learnOutput)
    {
        var dims = _dims;
        if (_tree is not null)
        {
            fixed (float* syn1 = _outputSoftmax)
            fixed (byte* codes = _tree.Codes)
            fixed (int* points = _tree.Points)
            {
                var offset = target * HuffmanTree.MaxCodeLength;
                var length = _tree.Lengths[target];
                for (var d = 0; d < length; d++)
                {
                    var l2 = syn1 + ((long)points[offset + d] * dims);
                    var f = VectorKernels.Dot(hidden, l2, dims);
                    if (f <= -SigmoidTable.MaxExp || f >= SigmoidTable.MaxExp)
                    {
                        continue;
                    }

                    var g = (1 - codes[offset + d] - SigmoidTable.Sigmoid(f)) * alpha;
                    VectorKernels.Axpy(g, l2, gradient, dims);
                    if (learnOutput)
                    {
                        VectorKernels.Axpy(g, hidden, l2, dims);
                    }
                }
            }
        }

        if (_table is not null)
        {
            var negative = Options.Negative;
            var slots = _table.Slots;
            fixed (float* syn1neg = _outputNegative)
            {
                for (var d = 0; d <= negative; d++)
                {
                    int sample;
                    float label;
                    if (d == 0)
                    {
                        sample = target;
                        label = 1;
                    }
                    else
                    {
                        var r = rng.Next();
                        // A constant modulus compiles to a multiply, as word2vec's const table_size does in C.
                        sample = slots[(int)((r >> 16) % UnigramTable.DefaultSize)];
                        if (sample == 0)
                        {
                            sample = (int)(r % (ulong)Math.Max(1, _vocabularySize - 1)) + 1;
                        }

                        if (sample == target)
                        {
                            continue;
                        }

                        label = 0;
                    }

                    var l2 = syn1neg + ((long)sample * dims);
                    var f = VectorKernels.Dot(hidden, l2, dims);
                    var g = f > SigmoidTable.MaxExp ? (label - 1) * alpha
                        : f < -SigmoidTable.MaxExp ? label * alpha
                        : (label - SigmoidTable.Sigmoid(f)) * alpha;
                    VectorKernels.Axpy(g, l2, gradient, dims);
                    if (learnOutput)
                    {
                        VectorKernels.Axpy(g, hidden, l2, dims);
                    }
                }
            }
        }
    }
}
