using Microsoft.Extensions.AI;
using Quiver.Core.Spaces;

namespace Quiver.Models.Internal;

/// <summary>What Quiver's embedding generators answer to GetService: their metadata, their space, themselves.</summary>
internal static class GeneratorServices
{
    public static object? Get(object generator, Type serviceType, object? serviceKey, EmbeddingGeneratorMetadata metadata, EmbeddingSpace space)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return metadata;
        }

        if (serviceType == typeof(EmbeddingSpace))
        {
            return space;
        }

        return serviceType.IsInstanceOfType(generator) ? generator : null;
    }
}
