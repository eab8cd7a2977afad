using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Quiver.Server.Collections;

// The wire shapes of Quiver's RAG context route: the OpenAPI document shows them and requests are read into them (RequestBody).

[Description("Quiver's context request: the best passages for a question within a token budget.")]
internal sealed class ContextQuestion
{
    [JsonPropertyName("question")]
    [Description("The question to gather context for (not blank).")]
    public required string Question { get; init; }

    [JsonPropertyName("mode")]
    [Description("How candidates are found; hybrid for a collection with a model, keyword (the only one) for raw vectors, when absent.")]
    public ContextMode? Mode { get; init; }

    [JsonPropertyName("budget_tokens")]
    [Range(1, 1_000_000)]
    [Description("Tokens the passages may use together, counted by the collection's model (1000 when absent).")]
    public int? BudgetTokens { get; init; }

    [JsonPropertyName("candidates")]
    [Range(1, int.MaxValue)]
    [Description("Passages considered before the budget is applied (20 when absent; at most the server's points per request).")]
    public int? Candidates { get; init; }

    [JsonPropertyName("mmr")]
    [Description("Maximal marginal relevance lambda: 1 is relevance only, lower prefers passages unlike those already chosen; from 0 to 1 (0.7 when absent).")]
    public double? Mmr { get; init; }

    [JsonPropertyName("filter")]
    public Filter? Filter { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ContextMode>))]
internal enum ContextMode
{
    [JsonStringEnumMemberName("dense")]
    Dense,

    [JsonStringEnumMemberName("keyword")]
    Keyword,

    [JsonStringEnumMemberName("hybrid")]
    Hybrid,
}

internal sealed class ContextAnswer
{
    [JsonPropertyName("question")]
    public required string Question { get; init; }

    [JsonPropertyName("passages")]
    [Description("The chosen passages, best first.")]
    public required ContextPassageInfo[] Passages { get; init; }

    [JsonPropertyName("used_tokens")]
    public required int UsedTokens { get; init; }

    [JsonPropertyName("budget_tokens")]
    public required int BudgetTokens { get; init; }

    [JsonPropertyName("passed_over")]
    [Description("Candidates left out because they did not fit the budget.")]
    public required int PassedOver { get; init; }

    [JsonPropertyName("prompt")]
    [Description("Each passage under its citation line, separated by blank lines: ready to paste into a prompt.")]
    public required string Prompt { get; init; }
}

internal sealed class ContextPassageInfo
{
    [JsonPropertyName("number")]
    [Description("The passage's citation number, from 1.")]
    public required int Number { get; init; }

    [JsonPropertyName("id")]
    public required PointId Id { get; init; }

    [JsonPropertyName("citation")]
    [Description("\"[n] path, p. 3, \\\"Heading\\\", chars 120-480\".")]
    public required string Citation { get; init; }

    [JsonPropertyName("path")]
    public required string? Path { get; init; }

    [JsonPropertyName("title")]
    public required string? Title { get; init; }

    [JsonPropertyName("heading")]
    public required string? Heading { get; init; }

    [JsonPropertyName("page")]
    public required int? Page { get; init; }

    [JsonPropertyName("start")]
    [Description("The passage's first character in its document.")]
    public required int? Start { get; init; }

    [JsonPropertyName("end")]
    [Description("The character after the passage's last.")]
    public required int? End { get; init; }

    [JsonPropertyName("score")]
    public required float Score { get; init; }

    [JsonPropertyName("tokens")]
    public required int Tokens { get; init; }

    [JsonPropertyName("text")]
    public required string Text { get; init; }
}
