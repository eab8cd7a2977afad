using System.Text;
using System.Text.Json;
using Quiver.Analysis.Evaluation;
using Quiver.Models.Onnx;
using Quiver.Models.Tokenization;

namespace Quiver.Bench;

/// <summary>
/// Inputs for bench/encoder-real.sh:
///   transformersjs-folder --model DIR --out DIR [--dtype fp32|q8]   a copy of an installed model folder that
///       transformers.js loads: the same files, plus the tokenizer.json Quiver writes for the folder's WordPiece
///       tokenizer; with q8 the ONNX file is placed where transformers.js looks for a quantised model
///       (onnx/model_quantized.onnx). The installed folder is only read.
///   retrieval-texts --folder DIR --out FILE.jsonl                    the documents' text (a CISI or Cranfield
///       abstract, a BEIR passage) of a retrieval collection, one JSON string per line
/// </summary>
internal static class PeerFolder
{
    public static void WriteTransformersJs(Args options)
    {
        var from = Path.GetFullPath(options.Get("model", string.Empty));
        var to = Path.GetFullPath(options.Get("out", string.Empty));
        var dtype = options.Get("dtype", "fp32");
        if (dtype is not ("fp32" or "q8"))
        {
            throw new ArgumentException($"--dtype must be fp32 or q8, not '{dtype}'");
        }

        var model = TransformerModelFolder.Load(from);
        if (model.Tokenizer is not WordPieceTextTokenizer wordPiece)
        {
            throw new ArgumentException($"{from} has a {model.Tokenizer.GetType().Name}; transformers.js folders are written for WordPiece tokenizers only.");
        }

        if (Directory.Exists(to))
        {
            Directory.Delete(to, recursive: true);
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (Path.GetFullPath(file) == Path.GetFullPath(model.ModelPath))
            {
                relative = Path.Combine("onnx", dtype == "q8" ? "model_quantized.onnx" : "model.onnx");
            }
            else if (relative.EndsWith(".onnx", StringComparison.Ordinal) || relative == TokenizerJson.FileName)
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        TokenizerJson.Write(Path.Combine(to, TokenizerJson.FileName), wordPiece.Vocabulary, wordPiece.Options);
        Console.Error.WriteLine($"› wrote {to} ({dtype}, max length {model.MaxLength}) from {from}");
        Console.WriteLine(JsonSerializer.Serialize(new { folder = to, dtype, max_length = model.MaxLength, pooling = model.Pooling.ToString(), normalize = model.Normalize }));
    }

    public static void WriteRetrievalTexts(Args options)
    {
        var collection = RetrievalData.Read(options.Get("folder", "../shared/data/retrieval/cisi"));
        var path = options.Get("out", string.Empty);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        foreach (var document in collection.Documents)
        {
            writer.Write(JsonLines.EncodeString(document.Text));
            writer.Write('\n');
        }

        Console.Error.WriteLine($"› wrote {collection.Documents.Count:N0} {collection.Name} documents to {path}");
    }
}
