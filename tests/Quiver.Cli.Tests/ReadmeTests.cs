using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Quiver.Testing;

namespace Quiver.Cli.Tests;

/// <summary>
/// The README is checked like code: its C# snippets compile as written (their using lines plus the implicit ones of a
/// new console project, against the Quiver libraries and nothing else), every verb of the CLI is shown in it, and it links nothing outside the repository.
/// </summary>
public sealed partial class ReadmeTests(CliFixture cli) : IClassFixture<CliFixture>
{
    private static readonly string Root = Repository.Root;
    private static readonly string Readme = File.ReadAllText(Path.Combine(Root, "README.md"));

    // What `dotnet new console` gives every file (ImplicitUsings): a reader's project has these without writing them.
    private const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    public static TheoryData<int> Snippets()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < CsharpBlock().Matches(Readme).Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void The_readme_has_library_snippets() => Assert.True(CsharpBlock().Matches(Readme).Count >= 3);

    [Theory]
    [MemberData(nameof(Snippets))]
    public void A_csharp_snippet_compiles_as_written(int index)
    {
        var code = CsharpBlock().Matches(Readme)[index].Groups["code"].Value;
        var compilation = CSharpCompilation.Create(
            $"ReadmeSnippet{index}",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest)), CSharpSyntaxTree.ParseText(ImplicitUsings)],
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var assembly = new MemoryStream();
        var result = compilation.Emit(assembly);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString());
        Assert.True(result.Success, $"README C# snippet {index + 1} does not compile:\n{string.Join('\n', errors)}\n---\n{code}");
    }

    [Fact]
    public void Every_verb_is_shown_in_the_readme()
    {
        var root = QuiverCli.CreateRoot(new CliContext(cli.Paths, TextWriter.Null, TextWriter.Null, terminal: false));
        var verbs = Leaves(root, "quiver").ToList();
        Assert.True(verbs.Count > 20, $"only {verbs.Count} verbs found");
        var missing = verbs.Where(verb => !Regex.IsMatch(Readme, Regex.Escape(verb) + @"(?![\w-])")).ToList();
        Assert.True(missing.Count == 0, "verbs the README never shows: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_readme_links_nothing_outside_the_repository_and_every_link_resolves()
    {
        Assert.DoesNotContain("](../", Readme, StringComparison.Ordinal);
        Assert.DoesNotContain("../shared", Readme, StringComparison.Ordinal);
        foreach (Match link in RelativeLink().Matches(Readme))
        {
            var target = link.Groups["target"].Value.Split('#')[0];
            Assert.True(File.Exists(Path.Combine(Root, target)) || Directory.Exists(Path.Combine(Root, target)), $"README links {target}, which is not in the repository");
        }
    }

    // `./quiver X` in the README reads as `quiver X`: both spellings count.
    private static IEnumerable<string> Leaves(Command command, string path)
    {
        if (command.Subcommands.Count == 0)
        {
            yield return path;
            yield break;
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var leaf in Leaves(sub, path + " " + sub.Name))
            {
                yield return leaf;
            }
        }
    }

    private static IEnumerable<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var quiver = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(path => !path.Contains("xunit", StringComparison.OrdinalIgnoreCase) && !path.Contains("CodeAnalysis", StringComparison.Ordinal));
        return platform.Concat(quiver)
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Where(IsManaged)
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsharpBlock();

    [GeneratedRegex(@"\]\((?<target>(?!https?:|#|mailto:)[^)\s]+)\)")]
    private static partial Regex RelativeLink();
}
