using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsCheck;
using Quiver.Core;
using Quiver.Ingestion.Records;

namespace Quiver.Ingestion.Tests;

public sealed class TextRecordReaderTests
{
    [Fact]
    public void Every_line_is_a_record_so_record_n_is_line_n_plus_one()
    {
        var records = Read("\uFEFFfirst\r\n\nthird\n  \nlast without a break", TextRecordFormat.Lines);

        Assert.Equal(["first", string.Empty, "third", "  ", "last without a break"], records.Select(r => r.Text));
        Assert.Equal([0L, 1, 2, 3, 4], records.Select(r => r.Index));
        Assert.Equal([1L, 2, 3, 4, 5], records.Select(r => r.Line));
        Assert.Single(Read("only\n", TextRecordFormat.Lines));
        Assert.Empty(Read(string.Empty, TextRecordFormat.Lines));
    }

    [Fact]
    public void Consumed_bytes_and_their_hash_cover_exactly_the_records_read()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"text\":\"a\"}\n\n{\"text\":\"bé\"}\r\n\n\n");
        using var reader = TextRecordReader.Open(new MemoryStream(bytes), TextRecordFormat.Jsonl);

        Assert.NotNull(reader.Read());
        Assert.Equal(13, reader.BytesConsumed);
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, 13)), reader.ConsumedSha256());
        Assert.NotNull(reader.Read());
        Assert.Null(reader.Read());
        Assert.Equal(bytes.Length, reader.BytesConsumed);
        Assert.Equal(SHA256.HashData(bytes), reader.ConsumedSha256());
    }

    [Fact]
    public void Invalid_utf8_names_its_line()
    {
        var bytes = "ok\n"u8.ToArray().Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();
        using var reader = TextRecordReader.Open(new MemoryStream(bytes), TextRecordFormat.Lines);
        reader.Read();

        var error = Assert.Throws<TextRecordException>(() => reader.Read());
        Assert.Equal(2, error.Line);
        Assert.Contains("line 2 is not valid UTF-8", error.Message);
    }

    [Fact]
    public void Plain_lines_have_no_id_field()
    {
        var error = Assert.Throws<QuiverException>(() => TextRecordReader.Open(new MemoryStream(), TextRecordFormat.Lines, new TextRecordOptions { IdField = "id" }));
        Assert.Contains("Use JSONL or CSV input to carry ids", error.Message);
    }

    [Theory]
    [InlineData("a.txt", TextRecordFormat.Lines)]
    [InlineData("b.JSONL", TextRecordFormat.Jsonl)]
    [InlineData("c.ndjson", TextRecordFormat.Jsonl)]
    [InlineData("d.csv", TextRecordFormat.Csv)]
    public void The_extension_names_the_format(string path, TextRecordFormat format) => Assert.Equal(format, TextRecordReader.FormatOf(path));

    [Fact]
    public void An_unknown_extension_asks_for_the_format() =>
        Assert.Contains("--format lines|jsonl|csv", Assert.Throws<QuiverException>(() => TextRecordReader.FormatOf("notes.tsv")).Message);

    [Fact]
    public void Jsonl_records_carry_their_text_and_id_and_blank_lines_are_skipped()
    {
        var records = Read(
            "{\"id\": \"a\", \"body\": \"one\"}\n\n   \n{\"body\": \"tw\\u00f6\\n\", \"id\": 7, \"other\": [1]}\n",
            TextRecordFormat.Jsonl,
            new TextRecordOptions { Field = "body", IdField = "id" });

        Assert.Equal(["one", "twö\n"], records.Select(r => r.Text));
        Assert.Equal([1L, 4], records.Select(r => r.Line));
        Assert.Equal([0L, 1], records.Select(r => r.Index));
        Assert.Equal("\"a\"", records[0].Id!.Value.GetRawText());
        Assert.Equal(JsonValueKind.Number, records[1].Id!.Value.ValueKind);
    }

    [Theory]
    [InlineData("{\"body\": \"x\", \"title\": \"t\"}", "line 3 has no \"text\" field (its fields: body, title). Name the field that holds the text (--field NAME).")]
    [InlineData("{\"text\": 12}", "line 3: the field \"text\" is a JSON number, not a string.")]
    [InlineData("{\"text\": null}", "line 3: the field \"text\" is a JSON null, not a string.")]
    [InlineData("[\"text\"]", "line 3 is a JSON array, not an object.")]
    [InlineData("{\"text\": \"a\"", "line 3 is not valid JSON")]
    [InlineData("{\"text\": \"a\"} {\"text\": \"b\"}", "line 3 is not valid JSON")]
    public void A_bad_jsonl_record_names_its_line_and_the_fix(string line, string expected)
    {
        var error = Assert.Throws<TextRecordException>(() => Read("{\"text\": \"fine\"}\n\n" + line + "\n{\"text\": \"never read\"}\n", TextRecordFormat.Jsonl));
        Assert.Equal(3, error.Line);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_jsonl_record_without_its_id_field_names_its_line()
    {
        var error = Assert.Throws<TextRecordException>(() => Read("{\"text\": \"a\", \"id\": 1}\n{\"text\": \"b\"}\n", TextRecordFormat.Jsonl, new TextRecordOptions { IdField = "id" }));
        Assert.Equal(2, error.Line);
        Assert.Contains("line 2 has no \"id\" field for its id (its fields: text)", error.Message);
    }

    [Fact]
    public void Csv_quoted_fields_hold_commas_doubled_quotes_and_line_breaks()
    {
        var csv =
            "id,\"te,xt\",note\r\n" +
            "1,\"a, b\",plain\r\n" +
            "2,\"she said \"\"hi\"\"\",\r\n" +
            "\r\n" +
            "3,\"two\nlines\r\nand CRLF\",\"\"\r\n" +
            "4,,x\r\n" +
            "5,an \"inner\" quote,\"last, without a break\"";
        var records = Read(csv, TextRecordFormat.Csv, new TextRecordOptions { Field = "te,xt", IdField = "id" });

        Assert.Equal(["a, b", "she said \"hi\"", "two\nlines\r\nand CRLF", string.Empty, "an \"inner\" quote"], records.Select(r => r.Text));
        Assert.Equal([2L, 3, 5, 8, 9], records.Select(r => r.Line));
        Assert.Equal(["1", "2", "3", "4", "5"], records.Select(r => r.Id!.Value.GetString()));
    }

    [Fact]
    public void Csv_round_trips_any_text_written_by_the_rfc_4180_rules()
    {
        var text = Gen.Char["ab ,\"\n\r\u00e9"].Array[0, 12].Select(c => new string(c));
        Gen.Select(text, text).Array[0, 8].Sample(rows =>
        {
            var csv = new StringBuilder("text,other\r\n");
            foreach (var (a, b) in rows)
            {
                csv.Append(Quote(a)).Append(',').Append(Quote(b)).Append("\r\n");
            }

            var records = Read(csv.ToString(), TextRecordFormat.Csv);
            Assert.Equal(rows.Select(r => r.Item1), records.Select(r => r.Text));
        });

        static string Quote(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    [Fact]
    public void A_missing_csv_column_names_the_header_line_and_its_columns()
    {
        var error = Assert.Throws<TextRecordException>(() => Read("id,body\n1,x\n", TextRecordFormat.Csv));
        Assert.Equal(1, error.Line);
        Assert.Contains("The header (line 1) has no column \"text\" (its columns: id, body). Name the column that holds the text (--column NAME).", error.Message);
    }

    [Theory]
    [InlineData("1,a, b\n", 3, "line 3 has 3 fields, but the header has 2.")]
    [InlineData("1\n", 3, "line 3 has 1 fields, but the header has 2.")]
    [InlineData("1,\"a\"b\n", 3, "line 3: a quoted field is followed by 'b' before the next comma.")]
    [InlineData("1,\"open\nand never\nclosed\n", 3, "line 3: a quoted field that opens on this line is not closed")]
    public void A_bad_csv_row_names_its_line_and_the_fix(string row, long line, string expected)
    {
        var error = Assert.Throws<TextRecordException>(() => Read("id,text\n0,fine\n" + row + "9,never read\n", TextRecordFormat.Csv));
        Assert.Equal(line, error.Line);
        Assert.Contains(expected, error.Message);
    }

    private static List<TextRecord> Read(string content, TextRecordFormat format, TextRecordOptions? options = null)
    {
        using var reader = TextRecordReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(content)), format, options);
        var records = new List<TextRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        return records;
    }
}
