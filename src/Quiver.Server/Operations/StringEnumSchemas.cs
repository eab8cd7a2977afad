using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Quiver.Server.Operations;

/// <summary>
/// Says that an enum travels as a string, which ASP.NET Core leaves out (so generators took the names for
/// integers), and drops the null that a nullable use of the enum adds to its shared list of values: a nullable
/// property already says so beside its reference.
/// </summary>
internal sealed class StringEnumSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum && schema.Enum is { Count: > 0 } values)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. values.Where(v => v is not null)];
        }

        return Task.CompletedTask;
    }
}
