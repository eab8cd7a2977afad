using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models.Pooling;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Onnx;

/// <summary>
/// A transformer text model in the Hugging Face layout: model.onnx or onnx/model.onnx; tokenizer.json, or vocab.txt
/// with tokenizer_config.json; config.json; and the sentence-transformers files (modules.json, 1_Pooling/config.json,
/// sentence_bert_config.json, config_sentence_transformers.json) that say how token vectors become one vector.
/// Loading reads and cross-checks them all, so a broken folder fails here with the file named, not at the first query.
/// </summary>
public sealed class TransformerModelFolder
{
    /// <summary>A SentencePiece vocabulary as [piece, score] pairs (Universal Sentence Encoder's format), used when there is no tokenizer.json.</summary>
    public const string SentencePieceVocabularyFile = "sentencepiece_vocab.json";

    /// <summary>sentence-transformers' file of named prompts.</summary>
    public const string PromptsFile = "config_sentence_transformers.json";

    private TransformerModelFolder(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    public string ModelPath { get; private set; } = string.Empty;

    public ITextTokenizer Tokenizer { get; private set; } = null!;

    /// <summary>The longest sequence, special tokens included, the model is given (sentence-transformers' max_seq_length).</summary>
    public int MaxLength { get; private set; }

    public PoolingMode Pooling { get; private set; } = PoolingMode.Mean;

    /// <summary>Whether the pipeline ends in L2 normalisation (a Normalize module in modules.json).</summary>
    public bool Normalize { get; private set; }

    /// <summary>config.json's hidden_size, when it has one.</summary>
    public int? HiddenSize { get; private set; }

    public string? ModelType { get; private set; }

    /// <summary>Named prompts from config_sentence_transformers.json (e.g. "query" → "query: ").</summary>
    public IReadOnlyDictionary<string, string> Prompts { get; private set; } = new Dictionary<string, string>();

    public string? DefaultPromptName { get; private set; }

    /// <summary>
    /// The prompt the model puts before a text in <paramref name="role"/>: "query" for queries; "document", "passage"
    /// or "corpus" for documents (the names sentence-transformers models use); else the default prompt; else none.
    /// </summary>
    public string? PromptFor(TextRole role)
    {
        string[] names = role == TextRole.Query ? ["query"] : ["document", "passage", "corpus", "doc"];
        foreach (var name in names)
        {
            if (Prompts.TryGetValue(name, out var prompt))
            {
                return prompt;
            }
        }

        return DefaultPromptName is null ? null : Prompts[DefaultPromptName];
    }

    /// <summary>The text of the prompt named <paramref name="name"/>; an unknown name is an error that lists the model's prompts.</summary>
    public string NamedPrompt(string name, string modelName) =>
        Prompts.TryGetValue(name, out var prompt)
            ? prompt
            : throw new Core.QuiverException(
                $"The model '{modelName}' has no prompt named '{name}'; " +
                (Prompts.Count == 0 ? "it has no named prompts." : $"its prompts are: {string.Join(", ", Prompts.Select(p => $"{p.Key} (\"{p.Value}\")"))}.") +
                " To put your own text before each input, pass it with --prompt-text.");

    /// <summary>The files that define the model's output, in a fixed order; their SHA-256 is the model's revision.</summary>
    public IReadOnlyList<string> DefiningFiles { get; private set; } = [];

    /// <summary>
    /// Every file a copy of the model needs: the defining files, and the prompts file when there is one (prompts are
    /// not part of the revision, since collections record the ones they used, but they are part of the model).
    /// </summary>
    public IReadOnlyList<string> Files =>
        File.Exists(PathOf(PromptsFile)) ? [.. DefiningFiles, PathOf(PromptsFile)] : DefiningFiles;

    public static TransformerModelFolder Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new ModelFolderException(folder, "no such folder. Pass a model folder in the Hugging Face layout (model.onnx or onnx/model.onnx, tokenizer.json or vocab.txt, config.json).");
        }

        var model = new TransformerModelFolder(folder);
        model.Read();
        return model;
    }

    /// <summary>SHA-256 (hex) over the defining files' names and bytes.</summary>
    public string ComputeRevision() => FileDigest.Sha256(Folder, DefiningFiles);

    private void Read()
    {
        var defining = new List<string>();
        ModelPath = new[] { "model.onnx", Path.Combine("onnx", "model.onnx") }.Select(p => Path.Combine(Folder, p)).FirstOrDefault(File.Exists)
            ?? throw new ModelFolderException(Folder, "no ONNX model: expected model.onnx or onnx/model.onnx. Export one with optimum (optimum-cli export onnx --model NAME DIR) or sentence-transformers' export.");
        defining.Add(ModelPath);

        var config = ReadJson("config.json", required: true)!;
        HiddenSize = Int(config, "hidden_size", "config.json") ?? Int(config, "d_model", "config.json") ?? Int(config, "dim", "config.json");
        ModelType = (string?)config["model_type"];
        var maxPositions = Int(config, "max_position_embeddings", "config.json");
        defining.Add(PathOf("config.json"));

        var tokenizerConfig = ReadJson("tokenizer_config.json", required: false);
        Tokenizer = ReadTokenizer(tokenizerConfig, defining);

        // Its model_max_length limits the input even beside tokenizer.json, so it is part of the model's identity.
        if (tokenizerConfig is not null)
        {
            defining.Add(PathOf("tokenizer_config.json"));
        }
        if (HiddenSize is not null && Int(config, "vocab_size", "config.json") is { } vocabSize && Tokenizer.VocabularySize > vocabSize)
        {
            throw new ModelFolderException(
                PathOf("config.json"),
                $"vocab_size is {vocabSize:N0} but the tokenizer has {Tokenizer.VocabularySize:N0} tokens, so some token ids would be outside the model's embedding table. The tokenizer files belong to another model.");
        }

        var maxLength = 512;
        if (tokenizerConfig is not null && Long(tokenizerConfig, "model_max_length", "tokenizer_config.json") is { } modelMax and > 0 and < 1_000_000)
        {
            // Hugging Face writes 1e30 when a tokenizer has no limit of its own.
            maxLength = (int)modelMax;
        }

        if (ReadJson("sentence_bert_config.json", required: false) is { } sbert && Int(sbert, "max_seq_length", "sentence_bert_config.json") is { } seq)
        {
            maxLength = seq;
            defining.Add(PathOf("sentence_bert_config.json"));
        }

        if (maxPositions is { } positions && maxLength > positions)
        {
            maxLength = positions;
        }

        if (maxLength < 2)
        {
            throw new ModelFolderException(PathOf("tokenizer_config.json"), $"the maximum sequence length is {maxLength}; a model needs at least 2 tokens ([CLS] and [SEP]).");
        }

        MaxLength = maxLength;
        ReadSentenceTransformerModules(defining);
        ReadPrompts();
        DefiningFiles = defining;
    }

    private ITextTokenizer ReadTokenizer(JsonObject? tokenizerConfig, List<string> defining)
    {
        var tokenizerJson = PathOf(TokenizerJson.FileName);
        if (File.Exists(tokenizerJson))
        {
            defining.Add(tokenizerJson);
            try
            {
                return TokenizerJson.Read(tokenizerJson);
            }
            catch (Exception e) when (e is not ModelFolderException)
            {
                throw new ModelFolderException(tokenizerJson, e.Message, e);
            }
        }

        var pieces = PathOf(SentencePieceVocabularyFile);
        if (File.Exists(pieces))
        {
            defining.Add(pieces);
            try
            {
                return new SentencePieceTextTokenizer(SentencePieceVocabulary.ReadUseJson(pieces));
            }
            catch (Exception e) when (e is not ModelFolderException)
            {
                throw new ModelFolderException(pieces, e.Message, e);
            }
        }

        var vocabPath = PathOf("vocab.txt");
        if (!File.Exists(vocabPath))
        {
            throw new ModelFolderException(Folder, $"no tokenizer: expected tokenizer.json, {SentencePieceVocabularyFile}, or vocab.txt with tokenizer_config.json.");
        }

        defining.Add(vocabPath);

        var vocabulary = WordPieceVocabulary.ReadVocabTxt(vocabPath);
        string? Special(string key, string fallback) => tokenizerConfig?[key] switch
        {
            JsonValue v => (string?)v,
            JsonObject o => (string?)o["content"],
            _ => fallback,
        };

        var options = new WordPieceTokenizerOptions
        {
            Normalization = new BertNormalizationOptions
            {
                Lowercase = (bool?)tokenizerConfig?["do_lower_case"] ?? true,
                StripAccents = (bool?)tokenizerConfig?["strip_accents"],
                HandleChineseChars = (bool?)tokenizerConfig?["tokenize_chinese_chars"] ?? true,
            },
            UnknownToken = Special("unk_token", "[UNK]")!,
            StartToken = Special("cls_token", "[CLS]"),
            EndToken = Special("sep_token", "[SEP]"),
            PadToken = Special("pad_token", "[PAD]")!,
        };
        options = options with
        {
            SpecialTokens = new[] { options.PadToken, options.UnknownToken, options.StartToken, options.EndToken, Special("mask_token", "[MASK]") }
                .OfType<string>().Distinct().ToList(),
        };
        try
        {
            return new WordPieceTextTokenizer(vocabulary, options);
        }
        catch (Exception e) when (e is not ModelFolderException)
        {
            throw new ModelFolderException(vocabPath, e.Message, e);
        }
    }

    private void ReadSentenceTransformerModules(List<string> defining)
    {
        var modulesPath = PathOf("modules.json");
        string? poolingFolder = null;
        if (File.Exists(modulesPath))
        {
            defining.Add(modulesPath);
            JsonArray modules;
            try
            {
                modules = JsonNode.Parse(File.ReadAllText(modulesPath)) as JsonArray
                    ?? throw new ModelFolderException(modulesPath, "expected a JSON array of modules ([{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"}, ...]).");
            }
            catch (JsonException e)
            {
                throw new ModelFolderException(modulesPath, $"not valid JSON ({e.Message}).", e);
            }

            foreach (var module in modules.OfType<JsonObject>())
            {
                var type = (string?)module["type"] ?? string.Empty;
                if (type.EndsWith(".Pooling", StringComparison.Ordinal))
                {
                    poolingFolder = (string?)module["path"] ?? "1_Pooling";
                }
                else if (type.EndsWith(".Normalize", StringComparison.Ordinal))
                {
                    Normalize = true;
                }
                else if (!type.EndsWith(".Transformer", StringComparison.Ordinal))
                {
                    throw new ModelFolderException(
                        modulesPath,
                        $"the module '{type}' is not supported; Quiver runs Transformer, Pooling and Normalize modules. Remove it or export the model with it folded into the ONNX graph.");
                }
            }
        }
        else if (Directory.Exists(PathOf("1_Pooling")))
        {
            poolingFolder = "1_Pooling";
        }

        if (poolingFolder is null)
        {
            return;
        }

        var configPath = Path.Combine(Folder, poolingFolder, "config.json");
        var pooling = ReadJsonFile(configPath, required: true)!;
        defining.Add(configPath);
        var modes = new (string Key, PoolingMode Mode)[]
        {
            ("pooling_mode_cls_token", PoolingMode.Cls),
            ("pooling_mode_mean_tokens", PoolingMode.Mean),
            ("pooling_mode_max_tokens", PoolingMode.Max),
            ("pooling_mode_lasttoken", PoolingMode.LastToken),
        };
        var chosen = modes.Where(m => (bool?)pooling[m.Key] == true).Select(m => m.Mode).ToList();
        var unsupported = new[] { "pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens" }.Where(k => (bool?)pooling[k] == true).ToList();
        if (unsupported.Count > 0 || chosen.Count > 1)
        {
            throw new ModelFolderException(
                configPath,
                $"sets {string.Join(" and ", unsupported.Concat(chosen.Select(c => c.ToString())))}; Quiver supports exactly one of pooling_mode_mean_tokens, pooling_mode_cls_token, pooling_mode_max_tokens, pooling_mode_lasttoken.");
        }

        Pooling = chosen.Count == 1 ? chosen[0] : PoolingMode.Mean;
        if (Int(pooling, "word_embedding_dimension", configPath) is { } dimension && HiddenSize is { } hidden && dimension != hidden)
        {
            throw new ModelFolderException(configPath, $"word_embedding_dimension is {dimension} but config.json's hidden_size is {hidden}; the pooling config belongs to another model.");
        }
    }

    private void ReadPrompts()
    {
        if (ReadJson(PromptsFile, required: false) is not { } st)
        {
            return;
        }

        if (st["prompts"] is JsonObject prompts)
        {
            Prompts = prompts.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => (string?)p.Value ?? string.Empty, StringComparer.Ordinal);
        }

        DefaultPromptName = (string?)st["default_prompt_name"];
        if (DefaultPromptName is not null && !Prompts.ContainsKey(DefaultPromptName))
        {
            throw new ModelFolderException(PathOf(PromptsFile), $"default_prompt_name is '{DefaultPromptName}' but prompts has no such entry (it has: {string.Join(", ", Prompts.Keys)}).");
        }
    }

    private string PathOf(string name) => Path.Combine(Folder, name);

    private JsonObject? ReadJson(string name, bool required) => ReadJsonFile(PathOf(name), required);

    private static JsonObject? ReadJsonFile(string path, bool required)
    {
        if (!File.Exists(path))
        {
            return required ? throw new ModelFolderException(path, "missing. A Hugging Face model folder has it; copy it from the model's repository.") : null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ModelFolderException(path, "expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelFolderException(path, $"not valid JSON ({e.Message}).", e);
        }
    }

    private static int? Int(JsonObject json, string key, string file) => Long(json, key, file) is { } value ? (int)Math.Clamp(value, int.MinValue, int.MaxValue) : null;

    private static long? Long(JsonObject json, string key, string file)
    {
        if (json[key] is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<double>(out var d) && double.IsFinite(d))
        {
            return d >= long.MaxValue ? long.MaxValue : (long)d;
        }

        throw new ModelFolderException(file, $"\"{key}\" should be a number, not {value.ToJsonString()}.");
    }
}
