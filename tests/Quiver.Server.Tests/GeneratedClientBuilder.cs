using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace Quiver.Server.Tests;

/// <summary>
/// Generates a C# client from an OpenAPI document with NSwag (its defaults: Newtonsoft.Json, one client class named
/// by operationId), and compiles it with Roslyn together with code written against it (GeneratedClient/), so a name
/// or type the document gets wrong fails to compile.
/// </summary>
internal static class GeneratedClientBuilder
{
    public const string Namespace = "Quiver.Generated";

    public static async Task<string> GenerateAsync(string openApiJson)
    {
        var document = await OpenApiDocument.FromJsonAsync(openApiJson);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "QuiverClient",
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            GenerateClientInterfaces = false,
            CSharpGeneratorSettings = { Namespace = Namespace },
        };
        var resolver = new UnionTypeResolver(settings.CSharpGeneratorSettings);
        resolver.RegisterSchemaDefinitions(document.Definitions);
        return new CSharpClientGenerator(document, settings, resolver).GenerateFile();
    }

    /// <summary>Compiles the sources against the framework's own assemblies only; throws with every error and the file it is in.</summary>
    public static Assembly Compile(IReadOnlyDictionary<string, string> sources)
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = Directory.GetFiles(framework, "*.dll")
            .Where(IsManaged)
            .Append(typeof(Newtonsoft.Json.JsonConvert).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "Quiver.Generated." + Guid.NewGuid().ToString("N"),
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Value, path: s.Key)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        return errors.Count == 0
            ? Assembly.Load(image.ToArray())
            : throw new InvalidOperationException($"the generated client does not compile ({errors.Count} errors):\n" + string.Join('\n', errors.Take(30)));
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// NJsonSchema has no C# type for a value of several shapes, nor for OpenAPI 3.1's nullable reference
    /// (oneOf: [{"type": "null"}, {"$ref": ...}]): it names a class for either and never writes it. This maps a value
    /// of several shapes to object (what NSwag users write by hand for such APIs) and a nullable reference to its
    /// target; every other schema is NSwag's own mapping.
    /// </summary>
    private sealed class UnionTypeResolver(CSharpGeneratorSettings settings) : CSharpTypeResolver(settings)
    {
        public override string Resolve(JsonSchema schema, bool isNullable, string? typeNameHint)
        {
            var shapes = Shapes(schema);
            return shapes.Count > 1 ? "object"
                : shapes[0] != schema ? base.Resolve(shapes[0], isNullable: true, typeNameHint)
                : base.Resolve(schema, isNullable, typeNameHint);
        }

        protected override bool IsDefinitionTypeSchema(JsonSchema schema) => Shapes(schema).Count == 1 && base.IsDefinitionTypeSchema(schema);

        // The non-null shapes a schema allows: its oneOf / anyOf alternatives, or itself when it lists none.
        private static List<JsonSchema> Shapes(JsonSchema schema)
        {
            var actual = schema.ActualSchema;
            var listed = actual.OneOf.Concat(actual.AnyOf).Where(s => s.ActualSchema.Type != JsonObjectType.Null).ToList();
            return listed.Count switch
            {
                0 => [schema],
                1 => Shapes(listed[0]) is { Count: > 1 } inner ? inner : listed,
                _ => listed,
            };
        }
    }
}
