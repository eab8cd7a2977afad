using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Store.Keyword;

namespace Quiver.Store.Storage;

/// <summary>
/// Reads FTS5's own numbers (documents, tokens, document sizes, term occurrences) so BM25 can be computed outside
/// FTS5 with statistics from elsewhere, and scores with FTS5's bm25() arithmetic step for step (fts5_aux.c: k1 = 1.2,
/// b = 0.75, idf = ln((N − n + 0.5) / (n + 0.5)) floored at 1e-6, the phrases' terms summed in query order), so the
/// same statistics give the same double, bit for bit.
/// </summary>
internal static class KeywordStatistics
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    /// <summary>
    /// The term FTS5's tokenizer makes of each word (stemmed, case- and accent-folded), read back from a scratch FTS5
    /// table in the connection's temp schema built with the collection's own tokenizer.
    /// </summary>
    public static string[] Terms(SqliteConnection connection, IReadOnlyList<string> words, KeywordStemming stemming)
    {
        CollectionDatabase.Execute(connection, $"""
            CREATE VIRTUAL TABLE IF NOT EXISTS temp.keyword_probe USING fts5(text, tokenize='{KeywordSchema.Tokenizer(stemming)}');
            CREATE VIRTUAL TABLE IF NOT EXISTS temp.keyword_probe_terms USING fts5vocab(temp, keyword_probe, instance);
            DELETE FROM temp.keyword_probe;
            """);
        for (var i = 0; i < words.Count; i++)
        {
            CollectionDatabase.Execute(connection, "INSERT INTO temp.keyword_probe(rowid, text) VALUES ($i, $w)", null, ("$i", i), ("$w", words[i]));
        }

        var terms = new string?[words.Count];
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT doc, term FROM temp.keyword_probe_terms";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var word = (int)reader.GetInt64(0);
                if (terms[word] is not null)
                {
                    throw new QuiverException($"The keyword tokenizer splits '{words[word]}' into more than one term; search its parts as separate words.");
                }

                terms[word] = reader.GetString(1);
            }
        }

        CollectionDatabase.Execute(connection, "DELETE FROM temp.keyword_probe");
        return terms.Select((t, i) => t ?? throw new QuiverException($"The keyword tokenizer makes no term of '{words[i]}'; leave it out of the query.")).ToArray();
    }

    /// <summary>Documents and tokens of the whole keyword index, and the documents holding each term.</summary>
    public static KeywordCorpus Corpus(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> terms)
    {
        long documents = 0, tokens = 0;

        // FTS5 keeps both totals in its "averages" record (rowid 1 of its data table): the row count, then the
        // token count of each column, as varints.
        if (CollectionDatabase.Scalar(connection, $"SELECT block FROM {KeywordSchema.Table}_data WHERE id = 1", transaction) is byte[] { Length: > 0 } averages)
        {
            var at = 0;
            documents = (long)ReadVarint(averages, ref at);
            while (at < averages.Length)
            {
                tokens += (long)ReadVarint(averages, ref at);
            }
        }

        var frequencies = new long[terms.Count];
        for (var i = 0; i < terms.Count; i++)
        {
            frequencies[i] = (long)CollectionDatabase.Scalar(
                connection, "SELECT count(DISTINCT doc) FROM temp.keyword_instances WHERE term = $t", transaction, ("$t", terms[i]))!;
        }

        return new KeywordCorpus(documents, tokens, frequencies);
    }

    /// <summary>How often each term occurs in each document holding any of them: rowid → counts in term order.</summary>
    public static Dictionary<long, int[]> Frequencies(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> terms)
    {
        var frequencies = new Dictionary<long, int[]>();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT doc, count(*) FROM temp.keyword_instances WHERE term = $t GROUP BY doc";
        var term = command.Parameters.Add("$t", SqliteType.Text);
        for (var i = 0; i < terms.Count; i++)
        {
            term.Value = terms[i];
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var doc = reader.GetInt64(0);
                if (!frequencies.TryGetValue(doc, out var counts))
                {
                    frequencies[doc] = counts = new int[terms.Count];
                }

                counts[i] = (int)reader.GetInt64(1);
            }
        }

        return frequencies;
    }

    /// <summary>The document's length in tokens, from FTS5's docsize table.</summary>
    public static long Length(SqliteCommand docsize, long rowid)
    {
        docsize.Parameters["$id"].Value = rowid;
        var blob = (byte[])docsize.ExecuteScalar()!;
        var at = 0;
        long length = 0;
        while (at < blob.Length)
        {
            length += (long)ReadVarint(blob, ref at);
        }

        return length;
    }

    /// <summary>A command reading one document's sizes (its <c>$id</c> parameter is the rowid).</summary>
    public static SqliteCommand DocsizeCommand(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT sz FROM {KeywordSchema.Table}_docsize WHERE id = $id";
        command.Parameters.Add("$id", SqliteType.Integer);
        return command;
    }

    /// <summary>fts5Bm25Function's score (before its sign is turned) for one document.</summary>
    public static double Score(KeywordCorpus corpus, IReadOnlyList<int> frequencies, long length)
    {
        var averageLength = (double)corpus.Tokens / (double)corpus.Documents;
        var d = (double)length;
        var score = 0.0;
        for (var i = 0; i < frequencies.Count; i++)
        {
            var hits = corpus.DocumentFrequencies[i];
            var idf = Math.Log((corpus.Documents - hits + 0.5) / (hits + 0.5));
            if (idf <= 0.0)
            {
                idf = 1e-6;
            }

            double f = frequencies[i];
            score += idf * ((f * (K1 + 1.0)) / (f + (K1 * (1 - B + (B * d / averageLength)))));
        }

        return score;
    }

    /// <summary>Makes the connection's view of term occurrences (fts5vocab "instance"); before any transaction begins.</summary>
    public static void EnsureInstances(SqliteConnection connection) =>
        CollectionDatabase.Execute(connection, $"CREATE VIRTUAL TABLE IF NOT EXISTS temp.keyword_instances USING fts5vocab(main, {KeywordSchema.Table}, instance)");

    // SQLite's varint: big-endian groups of 7 bits, the high bit set while more follow; a ninth byte gives 8 bits.
    private static ulong ReadVarint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (var i = 0; i < 8; i++)
        {
            var b = data[at++];
            value = (value << 7) | (uint)(b & 0x7f);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        return (value << 8) | data[at++];
    }
}
