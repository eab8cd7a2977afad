namespace Quiver.Server;

/// <summary>What one request may ask for, and how much the server takes on at once.</summary>
public sealed record ServerLimits
{
    /// <summary>Largest request body; larger ones get 413.</summary>
    public long MaxBodyBytes { get; init; } = 32L << 20;

    /// <summary>
    /// Largest snapshot upload (POST /collections/{name}/snapshots/upload). Uploads are streamed to a file as they
    /// arrive, not held in the body memory, so this bounds disk, not memory; larger ones get 413.
    /// </summary>
    public long MaxSnapshotBytes { get; init; } = 64L << 30;

    /// <summary>Most inputs in one /v1/embeddings request (OpenAI's limit is 2,048).</summary>
    public int MaxInputsPerRequest { get; init; } = 2048;

    /// <summary>Longest input text in characters, refused before it is tokenised.</summary>
    public int MaxInputCharacters { get; init; } = 200_000;

    /// <summary>Most tokens in one token-array input.</summary>
    public int MaxTokensPerInput { get; init; } = 8192;

    /// <summary>Most points in one upsert, ids in one get or delete, and results in one search or scroll page.</summary>
    public int MaxPointsPerRequest { get; init; } = 10_000;

    /// <summary>Requests served at the same time; the rest wait in a queue.</summary>
    public int MaxConcurrentRequests { get; init; } = 64;

    /// <summary>Requests that may wait; beyond it the server answers 429 with Retry-After.</summary>
    public int QueueLimit { get; init; } = 1024;

    /// <summary>Most inputs the embedding batcher gives a model in one call, across all waiting requests.</summary>
    public int BatchMaxInputs { get; init; } = 256;

    /// <summary>
    /// Most sequences in one ONNX Runtime run. A merged call is sorted by length and cut into runs of at most this
    /// many where padding would cost more than another run (<see cref="Models.Onnx.TransformerEncoderOptions.CallOverheadTokens"/>),
    /// so short inputs are not padded to the longest of a large mixed batch.
    /// </summary>
    public int ModelBatchSize { get; init; } = 64;

    /// <summary>
    /// How long the embedding batcher holds a model call open for more requests, in milliseconds, when the call
    /// before it merged several requests (under concurrent load; a lone client never waits). Clients whose answers
    /// just went out send their next request within this, so calls take all of them instead of alternating halves.
    /// </summary>
    public double BatchLingerMilliseconds { get; init; } = 2;

    /// <summary>
    /// Texts whose embeddings each served model keeps in memory (least recently used evicted), answered without a
    /// model call when they come again with the same truncation; 0 turns the cache off.
    /// </summary>
    public int EmbeddingCacheEntries { get; init; } = 10_000;

    /// <summary>JSON nesting deeper than this is refused.</summary>
    public int MaxJsonDepth { get; init; } = 32;

    /// <summary>
    /// Most tokens one /v1/embeddings request may cost (OpenAI's limit is 300,000): the sequences the model would run,
    /// special tokens included, every chunk window counted with <c>truncation: chunk</c>. A request over it is refused
    /// with 413 before any model work. Applies to transformer models (word vectors and remote models are not costed in tokens).
    /// </summary>
    public int MaxTokensPerRequest { get; init; } = 300_000;

    /// <summary>
    /// Most tokens the embedding batcher gives a model in one call, and the slices a large request is cut into: the
    /// waiting requests take turns by tokens (deficit round robin), so a small request waits behind at most about one
    /// such call of a large one instead of all of it. A single input longer than this still goes in one call. 1,024
    /// tokens is about 1.6 s of all-MiniLM-L6-v2 on one loaded core (bench/fairness.sh: small requests within 2.5 s
    /// while a 2,048 × 100-token request runs, against 4.2 s with 2,048-token calls).
    /// </summary>
    public int BatchMaxTokens { get; init; } = 1024;

    /// <summary>
    /// How long an embeddings request may take, queue and model time together; past it the request is answered with
    /// 503 and its remaining work is dropped. Five minutes leave room for a request at the full token budget on a
    /// small machine (all-MiniLM-L6-v2 on 2 cores runs about 1,900 tokens/s, so 300,000 tokens take about 160 s).
    /// </summary>
    public TimeSpan EmbeddingDeadline { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Memory for request body buffers at once, in bytes (each body is read whole into one buffer before the request
    /// is admitted). A body that does not fit waits up to <see cref="BodyMemoryWait"/>, then gets 503 with
    /// Retry-After; one larger than the whole gets 413.
    /// </summary>
    public long MaxBodyMemoryBytes { get; init; } = 256L << 20;

    /// <summary>How long a body waits for <see cref="MaxBodyMemoryBytes"/> (or a large field for <see cref="MaxParsedMemoryBytes"/>) to have room before it is refused with 503.</summary>
    public TimeSpan BodyMemoryWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bodies still arriving at once. These hold no request slot (a request is admitted once its body is in), so
    /// slow uploads are bounded by this count and by <see cref="MaxBodyMemoryBytes"/>; beyond it a body that has not
    /// already arrived whole gets 503.
    /// </summary>
    public int MaxBodiesArriving { get; init; } = 1024;

    /// <summary>Slowest body upload accepted, as an average in bytes per second after a 5 s grace; a slower client gets 408.</summary>
    public double MinBodyBytesPerSecond { get; init; } = 1024;

    /// <summary>Longest a body may take to arrive, whatever its rate; then 408.</summary>
    public TimeSpan BodyTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Memory for the fields routes parse from bodies at once, in bytes, reserved by an estimate before each field is
    /// parsed (<see cref="Http.RequestJson.BytesPerValue"/> per JSON value and <see cref="Http.RequestJson.BytesPerByte"/>
    /// per byte: 423 MB for an upsert of 8,000 points of 384 numbers in 29.6 MB, 680 MB for 2,048 inputs of 2,800 token
    /// ids in 32.3 MB, so the default takes the largest legal bodies one at a time). A field that does not fit gets
    /// 503 with Retry-After (points and inputs wait for room first); one larger than the whole gets 413.
    /// </summary>
    public long MaxParsedMemoryBytes { get; init; } = 768L << 20;
}
