using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Quiver.Ingestion;

/// <summary>
/// Plain text and sections from the formats a folder index reads: text, Markdown (ATX headings), HTML (text only:
/// scripts, styles and noscript dropped; the title; headings start sections) and PDF (one section per page).
/// A file that cannot be read raises <see cref="DocumentFormatException"/> with the reason, for the indexer to skip.
/// </summary>
internal static partial class DocumentReader
{
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl",
    };

    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "noscript", "template", "head" };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article", "header", "footer", "nav", "main",
        "aside", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "hr",
    };

    public static ExtractedDocument Read(string extension, byte[] bytes) => extension.ToLowerInvariant() switch
    {
        ".pdf" => Pdf(bytes),
        ".html" or ".htm" => Html(Text(bytes)),
        ".md" or ".markdown" => Markdown(Text(bytes)) with { TextIsFile = true },
        _ => ExtractedDocument.Plain(Text(bytes)) with { TextIsFile = true },
    };

    /// <summary>Strict UTF-8 (a BOM is dropped); NUL bytes mean a binary file.</summary>
    public static string Text(byte[] bytes)
    {
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0))
        {
            throw new DocumentFormatException("binary content (NUL bytes)");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new DocumentFormatException("not valid UTF-8 text");
        }
    }

    /// <summary>Sections start at ATX headings (# to ######); the first level-1 heading is the title. Offsets are the file's.</summary>
    public static ExtractedDocument Markdown(string text)
    {
        var sections = new List<DocumentSection>();
        string? title = null;
        string? heading = null;
        var start = 0;
        foreach (Match match in HeadingLine().Matches(text))
        {
            if (match.Index > start)
            {
                sections.Add(new DocumentSection(start, match.Index, heading));
            }

            heading = match.Groups[2].Value.Trim().TrimEnd('#').Trim();
            if (title is null && match.Groups[1].Length == 1)
            {
                title = heading;
            }

            start = match.Index;
        }

        if (text.Length > start || sections.Count == 0)
        {
            sections.Add(new DocumentSection(start, text.Length, heading));
        }

        return new ExtractedDocument(text, title, sections);
    }

    public static ExtractedDocument Html(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var text = new StringBuilder();
        var sections = new List<DocumentSection>();
        string? heading = null;
        var sectionStart = 0;

        void Break()
        {
            if (text.Length > 0 && text[^1] != '\n')
            {
                text.Append('\n');
            }
        }

        void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                if (child is IText t)
                {
                    var collapsed = Whitespace().Replace(t.Data, " ");
                    if (collapsed.Length > 0 && !(collapsed == " " && (text.Length == 0 || char.IsWhiteSpace(text[^1]))))
                    {
                        text.Append(text.Length > 0 && char.IsWhiteSpace(text[^1]) ? collapsed.TrimStart() : collapsed);
                    }

                    continue;
                }

                if (child is not IElement element || Dropped.Contains(element.LocalName))
                {
                    continue;
                }

                var name = element.LocalName;
                if (name.Length == 2 && name[0] == 'h' && name[1] is >= '1' and <= '6')
                {
                    Break();
                    if (text.Length > sectionStart)
                    {
                        sections.Add(new DocumentSection(sectionStart, text.Length, heading));
                    }

                    sectionStart = text.Length;
                    heading = Whitespace().Replace(element.TextContent, " ").Trim();
                }

                var block = Blocks.Contains(name);
                if (block)
                {
                    Break();
                }

                Walk(element);
                if (block)
                {
                    Break();
                }
            }
        }

        Walk(document.Body ?? (INode)document);
        if (text.Length > sectionStart || sections.Count == 0)
        {
            sections.Add(new DocumentSection(sectionStart, text.Length, heading));
        }

        var title = string.IsNullOrWhiteSpace(document.Title) ? null : document.Title.Trim();
        return new ExtractedDocument(text.ToString(), title, sections);
    }

    /// <summary>Each page's text in reading order, pages separated by a blank line; a page is a section numbered from 1.</summary>
    public static ExtractedDocument Pdf(byte[] bytes)
    {
        try
        {
            using var pdf = PdfDocument.Open(bytes);
            var text = new StringBuilder();
            var sections = new List<DocumentSection>();
            foreach (var page in pdf.GetPages())
            {
                if (text.Length > 0)
                {
                    text.Append("\n\n");
                }

                var start = text.Length;
                text.Append(ContentOrderTextExtractor.GetText(page).Trim());
                sections.Add(new DocumentSection(start, text.Length, null, page.Number));
            }

            var title = pdf.Information.Title is { Length: > 0 } t ? t.Trim() : null;
            return new ExtractedDocument(text.ToString(), title, sections);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            // PdfPig throws many types for damaged files (format, parse, index, null-reference on broken objects).
            throw new DocumentFormatException($"not a readable PDF ({e.GetType().Name}: {e.Message})", e);
        }
    }

    [GeneratedRegex(@"^(#{1,6})[ \t]+(.+)$", RegexOptions.Multiline)]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
