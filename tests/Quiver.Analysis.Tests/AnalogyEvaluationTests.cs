using System.Collections.Concurrent;
using Quiver.Analysis.Evaluation;
using Quiver.Core;

namespace Quiver.Analysis.Tests;

public sealed class AnalogyEvaluationTests
{
    private const string Right = "right";
    private const string Wrong = "wrong";
    private const string Unknown = "unknown";

    // Seven sections in Google order: the first five are semantic. D is the expected answer; the solver below
    // answers Right for questions whose D is "right" and something else otherwise.
    private static readonly AnalogyQuestion[] Questions =
    [
        new("capital-common-countries", "a", "b", "c", Right),
        new("capital-common-countries", "a", "b", "c", Wrong),
        new("capital-common-countries", "a", "b", "c", Unknown),
        new("capital-world", "a", "b", "c", Right),
        new("capital-world", "d", "b", "c", Right),
        new("currency", Unknown, "b", "c", Right),
        new("city-in-state", "a", "b", "c", Wrong),
        new("family", "a", "b", "c", Right),
        new("family", "a", "b", Unknown, Right),
        new("gram1-adjective-to-adverb", "a", "b", "c", Right),
        new("gram1-adjective-to-adverb", "a", "d", "c", "null"),
        new("gram2-opposite", "a", Unknown, "c", Right),
    ];

    private static readonly HashSet<string> Vocabulary = ["a", "b", "c", "d", Right, Wrong, "null"];

    [Fact]
    public void Counts_answered_skipped_and_correct_per_section_in_file_order()
    {
        var report = AnalogyEvaluation.Run(Questions, Vocabulary.Contains, Solve);

        Assert.Equal(
            [
                new AnalogySectionResult("capital-common-countries", 3, 2, 1),
                new AnalogySectionResult("capital-world", 2, 2, 2),
                new AnalogySectionResult("currency", 1, 0, 0),
                new AnalogySectionResult("city-in-state", 1, 1, 0),
                new AnalogySectionResult("family", 2, 1, 1),
                new AnalogySectionResult("gram1-adjective-to-adverb", 2, 2, 1),
                new AnalogySectionResult("gram2-opposite", 1, 0, 0),
            ],
            report.Sections);
        Assert.Equal([1, 0, 1, 0, 1, 0, 1], report.Sections.Select(s => s.Skipped));
    }

    [Fact]
    public void Semantic_is_the_first_five_sections_syntactic_the_rest_and_overall_all()
    {
        var report = AnalogyEvaluation.Run(Questions, Vocabulary.Contains, Solve);

        Assert.Equal(new AnalogySectionResult("semantic", 9, 6, 4), report.Semantic);
        Assert.Equal(new AnalogySectionResult("syntactic", 3, 2, 1), report.Syntactic);
        Assert.Equal(new AnalogySectionResult("overall", 12, 8, 5), report.Overall);
        Assert.Equal(4, report.Overall.Skipped);
        Assert.Equal(62.5, report.Overall.Accuracy, 1e-12);
        Assert.Equal(100.0 * 4 / 6, report.Semantic.Accuracy, 1e-12);
        Assert.Equal(50.0, report.Syntactic.Accuracy, 1e-12);
    }

    [Fact]
    public void Questions_with_a_word_outside_the_vocabulary_are_skipped_without_calling_the_solver()
    {
        var solved = new ConcurrentBag<AnalogyQuestion>();

        AnalogyEvaluation.Run(Questions, Vocabulary.Contains, q =>
        {
            solved.Add(q);
            return Solve(q);
        });

        Assert.Equal(8, solved.Count);
        Assert.DoesNotContain(solved, q => new[] { q.A, q.B, q.C, q.D }.Contains(Unknown));
    }

    [Fact]
    public void Accuracy_is_NaN_when_nothing_is_answered()
    {
        var report = AnalogyEvaluation.Run(Questions, _ => false, q => throw new InvalidOperationException($"solver called for {q}"));

        Assert.All(report.Sections, s => Assert.Equal(0, s.Answered));
        Assert.All(report.Sections, s => Assert.True(double.IsNaN(s.Accuracy)));
        Assert.True(double.IsNaN(report.Overall.Accuracy));
        Assert.Equal(12, report.Overall.Skipped);
    }

    [Fact]
    public void With_five_sections_or_fewer_everything_is_semantic()
    {
        var report = AnalogyEvaluation.Run(Questions[..5], Vocabulary.Contains, Solve);

        Assert.Equal(report.Overall with { Section = "semantic" }, report.Semantic);
        Assert.Equal(new AnalogySectionResult("syntactic", 0, 0, 0), report.Syntactic);
        Assert.True(double.IsNaN(report.Syntactic.Accuracy));
    }

    [Fact]
    public void No_questions_give_an_empty_report()
    {
        var report = AnalogyEvaluation.Run([], Vocabulary.Contains, Solve);

        Assert.Empty(report.Sections);
        Assert.Equal(new AnalogySectionResult("overall", 0, 0, 0), report.Overall);
    }

    [Fact]
    public void Many_questions_are_counted_exactly_and_progress_is_reported_every_500()
    {
        var random = new Random(7);
#pragma warning disable CA5394 // Seeded test data, not security.
        var questions = Enumerable.Range(0, 1234)
            .Select(i => new AnalogyQuestion($"s{i / 100}", "a", random.Next(10) == 0 ? Unknown : "b", "c", random.Next(3) == 0 ? Wrong : Right))
            .ToArray();
#pragma warning restore CA5394
        var reports = new ConcurrentBag<int>();

        var report = AnalogyEvaluation.Run(questions, Vocabulary.Contains, Solve, new SynchronousProgress<int>(reports.Add));

        Assert.Equal(13, report.Sections.Count);
        foreach (var section in report.Sections)
        {
            var inSection = questions.Where(q => q.Section == section.Section).ToArray();
            var answered = inSection.Where(q => q.B != Unknown).ToArray();
            Assert.Equal(new AnalogySectionResult(section.Section, inSection.Length, answered.Length, answered.Count(q => q.D == Right)), section);
        }

        Assert.Equal([500, 1000], reports.Order());
    }

    private static string? Solve(AnalogyQuestion q) => q.D switch
    {
        Right => Right,
        "null" => null,
        _ => "something-else",
    };
}
