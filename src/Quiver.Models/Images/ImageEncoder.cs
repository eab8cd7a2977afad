using Microsoft.ML.OnnxRuntime;
using Quiver.Models.Onnx;
using Quiver.Models.Pooling;

namespace Quiver.Models.Images;

/// <summary>
/// Runs an image model on ONNX Runtime: decodes and preprocesses each image (in parallel: the preprocessor is
/// thread-safe), batches them, and returns L2-normalised vectors in input order with each image's size and format.
/// One InferenceSession serves every thread; calls are cancellable.
/// </summary>
public sealed class ImageEncoder : IDisposable
{
    public const string InputName = "pixel_values";
    public const string OutputName = "image_embedding";

    private readonly InferenceSession _session;

    private ImageEncoder(string modelPath, ImagePreprocessor preprocessor, InferenceSession session, int batchSize)
    {
        ModelPath = modelPath;
        Preprocessor = preprocessor;
        _session = session;
        BatchSize = batchSize;
        if (!session.InputMetadata.ContainsKey(InputName) || !session.OutputMetadata.TryGetValue(OutputName, out var output))
        {
            throw new ModelFolderException(modelPath, $"an image model takes '{InputName}' [batch, height, width, 3] and returns '{OutputName}' [batch, dimensions]; this graph has inputs {string.Join(", ", session.InputMetadata.Keys)} and outputs {string.Join(", ", session.OutputMetadata.Keys)}.");
        }

        Dimensions = output.Dimensions[^1] > 0
            ? output.Dimensions[^1]
            : throw new ModelFolderException(modelPath, $"the output '{OutputName}' has no fixed size ({string.Join(" x ", output.Dimensions)}).");
    }

    public string ModelPath { get; }

    public ImagePreprocessor Preprocessor { get; }

    public int BatchSize { get; }

    public int Dimensions { get; }

    public static ImageEncoder Open(string modelPath, ImagePreprocessingOptions preprocessing, int threads = 0, int batchSize = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var preprocessor = new ImagePreprocessor(preprocessing);
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFolderException(modelPath, $"ONNX Runtime cannot load it ({e.Message}).", e);
        }

        try
        {
            return new ImageEncoder(modelPath, preprocessor, session, batchSize);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Embeds encoded images (file bytes and a name for errors). A file that cannot be decoded fails the call with <see cref="ImageDecodeException"/> naming it.</summary>
    public IReadOnlyList<ImageEmbedding> Embed(IReadOnlyList<(ReadOnlyMemory<byte> Data, string Name)> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var results = new ImageEmbedding[images.Count];
        var length = Preprocessor.OutputLength;
        for (var start = 0; start < images.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(BatchSize, images.Count - start);
            var pixels = new float[count * length];
            var infos = new ImageInfo[count];
            try
            {
                Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    var (data, name) = images[start + i];
                    infos[i] = ImagePreprocessor.Probe(data.Span, name);
                    Preprocessor.Preprocess(data.Span, name, pixels.AsSpan(i * length, length));
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is ImageDecodeException) is { } decode)
            {
                // The first undecodable image is what the caller needs to hear about, not the parallel loop's wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(decode).Throw();
            }

            var vectors = Run(pixels, count, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                results[start + i] = new ImageEmbedding(vectors[i], infos[i]);
            }
        }

        return results;
    }

    /// <summary>Embeds already preprocessed NHWC pixels (count × height × width × 3), for comparisons with a reference on the same input.</summary>
    public float[][] EmbedPixels(float[] pixels, int count, CancellationToken cancellationToken = default) => Run(pixels, count, cancellationToken);

    public void Dispose() => _session.Dispose();

    private float[][] Run(float[] pixels, int count, CancellationToken cancellationToken)
    {
        var options = Preprocessor.Options;
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [count, options.Height, options.Width, 3]);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = _session.Run(runOptions, [InputName], [input], [OutputName]);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        using (outputs)
        {
            var data = outputs[0].GetTensorDataAsSpan<float>();
            var vectors = new float[count][];
            for (var i = 0; i < count; i++)
            {
                vectors[i] = data.Slice(i * Dimensions, Dimensions).ToArray();
                TokenPooling.Normalize(vectors[i]);
            }

            return vectors;
        }
    }
}
