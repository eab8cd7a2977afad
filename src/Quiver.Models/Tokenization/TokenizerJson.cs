using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Core;

namespace Quiver.Models.Tokenization;

/// <summary>
/// Reads and writes Hugging Face tokenizer.json files for WordPiece (BERT-family) models: the vocabulary, the
/// BertNormalizer flags, the special tokens of the post-processor and the added tokens.
/// </summary>
public static class TokenizerJson
{
    public const string FileName = "tokenizer.json";

    public static WordPieceTextTokenizer Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new QuiverException($"{path} is not valid JSON ({e.Message}). Re-export the tokenizer (tokenizer.save_pretrained) or remove it to use vocab.txt.", e);
        }

        var model = root?["model"] as JsonObject ?? throw Invalid(path, "has no \"model\" object");
        var type = (string?)model["type"] ?? (model["vocab"] is JsonObject && model["continuing_subword_prefix"] is not null ? "WordPiece" : null);
        if (type != "WordPiece")
        {
            throw new QuiverException(
                $"{path} describes a {type ?? "unknown"} tokenizer; Quiver reads WordPiece (BERT, MiniLM, BGE, E5, GTE) tokenizer.json files so far. " +
                "Use a WordPiece model, or give the folder a vocab.txt.");
        }

        var vocab = model["vocab"] as JsonObject ?? throw Invalid(path, "has no model.vocab object");
        var tokens = new string?[vocab.Count];
        foreach (var (token, idNode) in vocab)
        {
            var id = idNode?.GetValue<int>() ?? -1;
            if ((uint)id >= (uint)tokens.Length || tokens[id] is not null)
            {
                throw Invalid(path, $"gives the token '{token}' the id {id}, outside 0..{tokens.Length - 1} or taken twice");
            }

            tokens[id] = token;
        }

        var specials = new List<string>();
        if (root!["added_tokens"] is JsonArray added)
        {
            foreach (var entry in added.OfType<JsonObject>())
            {
                var content = (string?)entry["content"];
                if (content is not null && (bool?)entry["special"] == true)
                {
                    specials.Add(content);
                }
            }
        }

        var (start, end) = ReadPostProcessor(root["post_processor"], path);
        var options = new WordPieceTokenizerOptions
        {
            Normalization = ReadNormalizer(root["normalizer"], path),
            UnknownToken = (string?)model["unk_token"] ?? "[UNK]",
            ContinuingSubwordPrefix = (string?)model["continuing_subword_prefix"] ?? WordPieceVocabulary.ContinuationPrefix,
            MaxInputCharsPerWord = (int?)model["max_input_chars_per_word"] ?? 100,
            StartToken = start,
            EndToken = end,
            PadToken = (string?)root["padding"]?["pad_token"] ?? "[PAD]",
            SpecialTokens = specials.Count > 0 ? specials : new WordPieceTokenizerOptions().SpecialTokens,
        };
        return new WordPieceTextTokenizer(new WordPieceVocabulary(tokens!), options);
    }

    /// <summary>Writes a tokenizer.json that transformers.js and the Hugging Face tokenizers load as this tokenizer.</summary>
    public static void Write(string path, WordPieceVocabulary vocabulary, WordPieceTokenizerOptions options)
    {
        var vocab = new JsonObject();
        for (var i = 0; i < vocabulary.Count; i++)
        {
            vocab[vocabulary.Tokens[i]] = i;
        }

        var added = new JsonArray();
        foreach (var token in options.SpecialTokens)
        {
            if (vocabulary.IdOf(token) is { } id)
            {
                added.Add(new JsonObject
                {
                    ["id"] = id, ["content"] = token, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                    ["normalized"] = false, ["special"] = true,
                });
            }
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject
            {
                ["type"] = "BertNormalizer",
                ["clean_text"] = options.Normalization.CleanText,
                ["handle_chinese_chars"] = options.Normalization.HandleChineseChars,
                ["strip_accents"] = options.Normalization.StripAccents,
                ["lowercase"] = options.Normalization.Lowercase,
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = Template(vocabulary, options),
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = options.ContinuingSubwordPrefix, ["cleanup"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "WordPiece",
                ["unk_token"] = options.UnknownToken,
                ["continuing_subword_prefix"] = options.ContinuingSubwordPrefix,
                ["max_input_chars_per_word"] = options.MaxInputCharsPerWord,
                ["vocab"] = vocab,
            },
        };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static JsonObject Template(WordPieceVocabulary vocabulary, WordPieceTokenizerOptions options)
    {
        JsonObject Special(string token, int typeId) => new() { ["SpecialToken"] = new JsonObject { ["id"] = token, ["type_id"] = typeId } };
        JsonObject Sequence(string id, int typeId) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };
        var single = new JsonArray();
        var pair = new JsonArray();
        var specials = new JsonObject();
        if (options.StartToken is { } start)
        {
            single.Add(Special(start, 0));
            pair.Add(Special(start, 0));
            specials[start] = new JsonObject { ["id"] = start, ["ids"] = new JsonArray(vocabulary.IdOf(start)), ["tokens"] = new JsonArray(start) };
        }

        single.Add(Sequence("A", 0));
        pair.Add(Sequence("A", 0));
        if (options.EndToken is { } end)
        {
            single.Add(Special(end, 0));
            pair.Add(Special(end, 0));
            specials[end] = new JsonObject { ["id"] = end, ["ids"] = new JsonArray(vocabulary.IdOf(end)), ["tokens"] = new JsonArray(end) };
        }

        pair.Add(Sequence("B", 1));
        if (options.EndToken is { } end2)
        {
            pair.Add(Special(end2, 1));
        }

        return new JsonObject { ["type"] = "TemplateProcessing", ["single"] = single, ["pair"] = pair, ["special_tokens"] = specials };
    }

    private static BertNormalizationOptions ReadNormalizer(JsonNode? node, string path)
    {
        switch (node)
        {
            case null:
                return new BertNormalizationOptions { CleanText = false, HandleChineseChars = false, Lowercase = false, StripAccents = false };
            case JsonObject o when (string?)o["type"] == "BertNormalizer":
                return new BertNormalizationOptions
                {
                    CleanText = (bool?)o["clean_text"] ?? true,
                    HandleChineseChars = (bool?)o["handle_chinese_chars"] ?? true,
                    Lowercase = (bool?)o["lowercase"] ?? true,
                    StripAccents = (bool?)o["strip_accents"],
                };
            default:
                throw new QuiverException(
                    $"{path} uses the normalizer '{(string?)node["type"] ?? node.ToJsonString()}'; Quiver implements BertNormalizer for WordPiece models. " +
                    "Give the folder a vocab.txt and tokenizer_config.json instead.");
        }
    }

    private static (string? Start, string? End) ReadPostProcessor(JsonNode? node, string path)
    {
        switch ((string?)node?["type"])
        {
            case null:
                return (null, null);
            case "BertProcessing":
                return ((string?)node!["cls"]?[0], (string?)node["sep"]?[0]);
            case "TemplateProcessing":
                var single = node!["single"] as JsonArray ?? throw Invalid(path, "has a TemplateProcessing post_processor without \"single\"");
                string? start = null, end = null;
                var seenSequence = false;
                foreach (var item in single.OfType<JsonObject>())
                {
                    if (item["Sequence"] is not null)
                    {
                        seenSequence = true;
                    }
                    else if ((string?)item["SpecialToken"]?["id"] is { } token)
                    {
                        if (seenSequence)
                        {
                            end = token;
                        }
                        else
                        {
                            start = token;
                        }
                    }
                }

                return (start, end);
            default:
                throw new QuiverException($"{path} has the post_processor '{(string?)node!["type"]}'; Quiver reads TemplateProcessing and BertProcessing.");
        }
    }

    private static QuiverException Invalid(string path, string what) =>
        new($"{path} {what}. Re-export the tokenizer (tokenizer.save_pretrained) or remove tokenizer.json to use vocab.txt.");
}
