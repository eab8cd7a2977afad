using Quiver.Analysis.Evaluation;
using Quiver.Core;

namespace Quiver.Analysis.Tests;

public sealed class RetrievalDataTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Cisi_reads_smart_fields_and_evaluates_only_judged_queries()
    {
        _folder.Write("CISI.ALL", """
            .I 1
            .T
            18 Editions of the Dewey
            Decimal Classifications
            .A
            Comaromi, J.P.
            .W
               The present study is a history.
            .X
            1	5	1
            .I 2
            .T
            Use Made of Technical Libraries
            .W
            .I in the middle of a line is text
            """);
        _folder.Write("CISI.QRY", """
            .I 1
            .W
            What problems are there?
            .I 2
            .T
            Titled query
            .A
            Someone
            .W
            About libraries.
            .B
            boolean form
            """);
        _folder.Write("CISI.REL", "     1     1\t0\t0.000000\n     1     2\t0\t0.000000\n");
        var data = RetrievalData.Read(_folder.Path);
        Assert.Equal("cisi", data.Layout);
        Assert.Equal(["1", "2"], data.Documents.Select(d => d.Id));
        Assert.Equal("18 Editions of the Dewey\nDecimal Classifications", data.Documents[0].Title);
        Assert.Equal("The present study is a history.", data.Documents[0].Text);
        Assert.Equal(".I in the middle of a line is text", data.Documents[1].Text);
        Assert.Equal("Titled query\nAbout libraries.", data.Queries[1].Text);
        Assert.Equal(["1"], data.JudgedQueries.Select(q => q.Id));
        Assert.Equal(1, data.Judgements["1"]["2"]);
    }

    [Fact]
    public void Cranfield_numbers_queries_by_position_and_grades_five_minus_code()
    {
        _folder.Write("cran.all.1400", ".I 1\n.T\nwing in a slipstream .\n.A\nbrenckman,m.\n.B\nj. ae. scs. 25\n.W\nexperimental study .\n.I 2\n.T\n.W\n");
        _folder.Write("cran.qry", ".I 001\n.W\nsimilarity laws .\n.I 004\n.W\nheat conduction .\n");
        _folder.Write("cranqrel", "1 1 2 \n1 2 -1\n2 1 4\n2 2 1\n\n\n");
        var data = RetrievalData.Read(_folder.Path);
        Assert.Equal("cranfield", data.Layout);
        Assert.Equal(["1", "2"], data.Queries.Select(q => q.Id));
        Assert.Equal("heat conduction .", data.Queries[1].Text);
        Assert.Equal("wing in a slipstream .\nexperimental study .", data.Documents[0].FullText);
        Assert.Equal(string.Empty, data.Documents[1].FullText);
        Assert.Equal(3, data.Judgements["1"]["1"]);
        Assert.False(data.Judgements["1"].ContainsKey("2"));
        Assert.Equal(1, data.Judgements["2"]["1"]);
        Assert.Equal(4, data.Judgements["2"]["2"]);

        _folder.Write("cranqrel", "1 1 7\n");
        Assert.Contains("relevance code 7", Assert.Throws<QuiverException>(() => RetrievalData.Read(_folder.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Beir_reads_jsonl_and_the_test_qrels_with_their_header()
    {
        _folder.Write("corpus.jsonl", "{\"_id\": \"d1\", \"title\": \"Whales\", \"text\": \"They swim.\"}\n{\"_id\": \"d2\", \"text\": \"No title.\"}\n");
        _folder.Write("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"whale\"}\n{\"_id\": \"q2\", \"text\": \"unjudged\"}\n");
        Directory.CreateDirectory(Path.Combine(_folder.Path, "qrels"));
        _folder.Write("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td2\t0\n");
        _folder.Write("qrels/dev.tsv", "query-id\tcorpus-id\tscore\nq2\td2\t1\n");
        var data = RetrievalData.Read(_folder.Path);
        Assert.Equal("beir", data.Layout);
        Assert.Equal("Whales\nThey swim.", data.Documents[0].FullText);
        Assert.Equal(["q1"], data.JudgedQueries.Select(q => q.Id));
        Assert.Equal(2, data.Judgements["q1"]["d1"]);
        Assert.Equal(0, data.Judgements["q1"]["d2"]);

        _folder.Write("corpus.jsonl", "{\"_id\": \"d1\", \"text\": \"fine\"}\nnot json\n");
        Assert.Contains("line 2", Assert.Throws<QuiverException>(() => RetrievalData.Read(_folder.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_folder_names_the_layouts_it_expects()
    {
        var error = Assert.Throws<QuiverException>(() => RetrievalData.Read(_folder.Path));
        Assert.Contains("cran.all.1400", error.Message, StringComparison.Ordinal);
        Assert.Contains("corpus.jsonl", error.Message, StringComparison.Ordinal);
    }
}
