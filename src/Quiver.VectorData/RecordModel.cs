using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Index;
using QuiverIndexKind = Quiver.Store.Index.IndexKind;
using VectorIndexKind = Microsoft.Extensions.VectorData.IndexKind;

namespace Quiver.VectorData;

/// <summary>
/// How a record type maps onto Quiver points: the key becomes the point id (text), data properties become payload
/// fields under their storage names (JSON), and the one vector property becomes the point's vector.
/// Built from the record's attributes, or from a <see cref="VectorStoreCollectionDefinition"/>, which when given
/// replaces the attributes.
/// </summary>
internal sealed class RecordModel
{
    private readonly Dictionary<string, RecordProperty> _byName;

    private RecordModel(
        Type recordType,
        RecordProperty key,
        bool generatesKeys,
        IReadOnlyList<RecordProperty> data,
        RecordProperty vector,
        VectorKind vectorKind,
        int dimensions,
        VectorDistance distance,
        IndexOptions index,
        IEmbeddingGenerator? embeddingGenerator)
    {
        RecordType = recordType;
        Key = key;
        GeneratesKeys = generatesKeys;
        Data = data;
        Vector = vector;
        VectorKind = vectorKind;
        Dimensions = dimensions;
        Distance = distance;
        Index = index;
        EmbeddingGenerator = embeddingGenerator;
        _byName = data.Append(key).Append(vector).ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public Type RecordType { get; }

    public bool IsDynamic => RecordType == typeof(Dictionary<string, object?>);

    public RecordProperty Key { get; }

    /// <summary>Whether a Guid key left empty gets a new Guid on upsert.</summary>
    public bool GeneratesKeys { get; }

    public IReadOnlyList<RecordProperty> Data { get; }

    public RecordProperty Vector { get; }

    public VectorKind VectorKind { get; }

    public int Dimensions { get; }

    public VectorDistance Distance { get; }

    public IndexOptions Index { get; }

    /// <summary>The generator for the vector property (its own, else the definition's, else the store's), if any.</summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; }

    public CollectionOptions CollectionOptions => new(EmbeddingSpace.Raw(Dimensions, Distance.Metric), Index);

    public RecordProperty? Property(string name) => _byName.GetValueOrDefault(name);

    public static RecordModel Build(Type recordType, Type keyType, VectorStoreCollectionDefinition? definition, IEmbeddingGenerator? defaultGenerator)
    {
        var dynamic = recordType == typeof(Dictionary<string, object?>);
        if (dynamic && definition is null)
        {
            throw new ArgumentException(
                "A dynamic collection (Dictionary<string, object?> records) needs a VectorStoreCollectionDefinition listing its key, data and vector properties.",
                nameof(definition));
        }

        if (!dynamic && recordType.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new NotSupportedException(
                $"{recordType.Name} needs a public parameterless constructor, which Quiver uses to create records it reads. Add one (properties may be init-only).");
        }

        var properties = definition?.Properties.ToList() ?? FromAttributes(recordType);
        var keys = properties.OfType<VectorStoreKeyProperty>().ToList();
        var vectors = properties.OfType<VectorStoreVectorProperty>().ToList();
        var data = properties.OfType<VectorStoreDataProperty>().ToList();
        var source = definition is null ? "its attributes" : "the collection definition";
        if (keys.Count != 1)
        {
            throw keys.Count == 0
                ? new InvalidOperationException(
                    $"{recordType.Name} has no key property in {source}. Mark one with [VectorStoreKey] or add a VectorStoreKeyProperty to the definition.")
                : new NotSupportedException(
                    $"{recordType.Name} has {keys.Count} key properties ({string.Join(", ", keys.Select(k => k.Name))}); Quiver identifies a record by one key.");
        }

        if (vectors.Count != 1)
        {
            throw new NotSupportedException(vectors.Count == 0
                ? $"{recordType.Name} has no vector property in {source}; every Quiver record holds one vector. Mark one with [VectorStoreVector(dimensions)]."
                : $"{recordType.Name} has {vectors.Count} vector properties ({string.Join(", ", vectors.Select(v => v.Name))}); a Quiver collection holds one vector per record. Keep one, or store each kind of vector in its own collection.");
        }

        var keyProperty = Map(recordType, keys[0]);
        if (keyProperty.Type != typeof(string) && keyProperty.Type != typeof(Guid) && keyProperty.Type != typeof(int) && keyProperty.Type != typeof(long))
        {
            throw new NotSupportedException(
                $"Key property '{keyProperty.Name}' of {recordType.Name} is a {keyProperty.Type.Name}; Quiver keys are string, Guid, int or long.");
        }

        if (!dynamic && keyType != keyProperty.Type)
        {
            throw new InvalidOperationException(
                $"The collection's key type is {keyType.Name} but key property '{keyProperty.Name}' of {recordType.Name} is a {keyProperty.Type.Name}. Use {keyProperty.Type.Name} as TKey.");
        }

        if (keys[0].IsAutoGenerated == true && keyProperty.Type != typeof(Guid))
        {
            throw new NotSupportedException(
                $"Key property '{keyProperty.Name}' of {recordType.Name} asks for generated keys, which Quiver makes only for Guid keys. Set the key yourself.");
        }

        var dataProperties = data.Select(d => Map(recordType, d)).ToList();
        foreach (var property in dataProperties)
        {
            if (property.StorageName.Length == 0 || property.StorageName.Contains('.') || property.StorageName.Contains('"'))
            {
                throw new NotSupportedException(
                    $"Data property '{property.Name}' of {recordType.Name} is stored as '{property.StorageName}'; a payload field name must be non-empty, without '.' (which filters read as a nested path) or '\"'. Choose another StorageName.");
            }
        }

        var clash = dataProperties.GroupBy(p => p.StorageName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new InvalidOperationException(
                $"Data properties {string.Join(" and ", clash.Select(p => $"'{p.Name}'"))} of {recordType.Name} are both stored as '{clash.Key}'. Give each its own StorageName.");
        }

        var vector = vectors[0];
        var vectorProperty = Map(recordType, vector);
        var generator = vector.EmbeddingGenerator ?? definition?.EmbeddingGenerator ?? defaultGenerator;
        var kind = KindOf(vectorProperty, recordType, generator);
        if (vector.Dimensions <= 0)
        {
            throw new InvalidOperationException(
                $"Vector property '{vector.Name}' of {recordType.Name} declares {vector.Dimensions} dimensions; give the number its vectors have (at least 1).");
        }

        var index = vector.IndexKind switch
        {
            null or VectorIndexKind.Hnsw or VectorIndexKind.Dynamic => IndexOptions.Default,
            VectorIndexKind.Flat => new IndexOptions { Kind = QuiverIndexKind.Flat },
            _ => throw new NotSupportedException(
                $"Quiver does not support the index kind '{vector.IndexKind}' of vector property '{vector.Name}' on {recordType.Name}. Use Hnsw (exact below 10,000 points), Dynamic (the same) or Flat (always exact)."),
        };

        return new RecordModel(
            recordType,
            keyProperty,
            keyProperty.Type == typeof(Guid) && keys[0].IsAutoGenerated != false,
            dataProperties,
            vectorProperty,
            kind,
            vector.Dimensions,
            VectorDistance.For(vector.DistanceFunction, vector.Name, recordType),
            index,
            generator);
    }

    /// <summary>The point id of a key.</summary>
    public string IdOf(object? key)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key), $"A key of {RecordType.Name} cannot be null.");
        }

        if (key.GetType() != Key.Type)
        {
            throw new ArgumentException(
                $"The key {key} is a {key.GetType().Name}, but key property '{Key.Name}' of {RecordType.Name} is a {Key.Type.Name}.", nameof(key));
        }

        return key switch
        {
            string s => s,
            Guid g => g.ToString("D"),
            IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>The key a point id stands for.</summary>
    public object KeyOf(string id)
    {
        if (Key.Type == typeof(string))
        {
            return id;
        }

        object? key = Key.Type == typeof(Guid) ? (Guid.TryParseExact(id, "D", out var g) ? g : null)
            : Key.Type == typeof(int) ? (int.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null)
            : long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null;
        return key ?? throw new QuiverException(
            $"The point id '{id}' is not a {Key.Type.Name}, the key type of {RecordType.Name}. The collection holds points written with other keys; read it with a matching key type.");
    }

    /// <summary>The record's key, after giving an empty Guid key a new Guid when keys are generated.</summary>
    public string EnsureId(object record)
    {
        var key = Key.Get(record);
        if (GeneratesKeys && key is Guid g && g == Guid.Empty)
        {
            key = Guid.NewGuid();
            Key.Set(record, key);
        }

        return IdOf(key);
    }

    /// <summary>The data properties as a JSON payload: each under its storage name, nulls included.</summary>
    public JsonObject PayloadOf(object record)
    {
        var payload = new JsonObject();
        foreach (var property in Data)
        {
            var value = property.Get(record);
            payload[property.StorageName] = JsonSerializer.SerializeToNode(value, value?.GetType() ?? property.Type);
        }

        return payload;
    }

    /// <summary>The record's vector, for a vector property that holds one (not <see cref="VectorKind.Text"/>).</summary>
    public float[] VectorOf(object record, string id) => Vector.Get(record) switch
    {
        ReadOnlyMemory<float> memory => memory.ToArray(),
        float[] array => array,
        Embedding<float> embedding => embedding.Vector.ToArray(),
        null => throw new ArgumentException(
            $"Record '{id}' has no vector in '{Vector.Name}'; every Quiver point needs one of {Dimensions} dimensions.", "record"),
        var other => throw new ArgumentException(
            $"Record '{id}' holds a {other.GetType().Name} in vector property '{Vector.Name}'; Quiver takes ReadOnlyMemory<float>, float[] or Embedding<float>.", "record"),
    };

    public object ToRecord(string id, JsonObject? payload, float[]? vector, string? text)
    {
        var record = IsDynamic ? new Dictionary<string, object?>() : Activator.CreateInstance(RecordType)!;
        Key.Set(record, KeyOf(id));
        foreach (var property in Data)
        {
            if (payload is not null && payload.TryGetPropertyValue(property.StorageName, out var node))
            {
                property.Set(record, node?.Deserialize(property.Type));
            }
            else if (IsDynamic)
            {
                property.Set(record, null);
            }
        }

        if (VectorKind == VectorKind.Text)
        {
            Vector.Set(record, text);
        }
        else if (vector is not null)
        {
            Vector.Set(record, VectorKind switch
            {
                VectorKind.Array => vector,
                VectorKind.Embedding => new Embedding<float>(vector),
                _ => new ReadOnlyMemory<float>(vector),
            });
        }

        return record;
    }

    private static List<VectorStoreProperty> FromAttributes(Type recordType)
    {
        var properties = new List<VectorStoreProperty>();
        foreach (var property in recordType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<VectorStoreKeyAttribute>() is { } key)
            {
                properties.Add(new VectorStoreKeyProperty(property.Name, property.PropertyType)
                {
                    StorageName = key.StorageName,
                    IsAutoGenerated = key.IsAutoGenerated ? true : null,
                });
            }

            if (property.GetCustomAttribute<VectorStoreDataAttribute>() is { } data)
            {
                properties.Add(new VectorStoreDataProperty(property.Name, property.PropertyType) { StorageName = data.StorageName });
            }

            if (property.GetCustomAttribute<VectorStoreVectorAttribute>() is { } vector)
            {
                properties.Add(new VectorStoreVectorProperty(property.Name, property.PropertyType, vector.Dimensions)
                {
                    StorageName = vector.StorageName,
                    DistanceFunction = vector.DistanceFunction,
                    IndexKind = vector.IndexKind,
                });
            }
        }

        return properties;
    }

    private static RecordProperty Map(Type recordType, VectorStoreProperty definition)
    {
        if (recordType == typeof(Dictionary<string, object?>))
        {
            return RecordProperty.OfDictionary(
                definition.Name,
                definition.StorageName,
                definition.Type ?? throw new ArgumentException(
                    $"Property '{definition.Name}' of the dynamic collection definition has no Type; give each property its .NET type.", nameof(definition)));
        }

        var property = recordType.GetProperty(definition.Name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException(
                $"The collection definition names property '{definition.Name}', which {recordType.Name} does not have as a public instance property.");
        return RecordProperty.Of(property, definition.StorageName);
    }

    private static VectorKind KindOf(RecordProperty vector, Type recordType, IEmbeddingGenerator? generator)
    {
        var type = vector.Type;
        if (type == typeof(ReadOnlyMemory<float>) || type == typeof(ReadOnlyMemory<float>?))
        {
            return VectorKind.Memory;
        }

        if (type == typeof(float[]))
        {
            return VectorKind.Array;
        }

        if (type == typeof(Embedding<float>))
        {
            return VectorKind.Embedding;
        }

        if (type == typeof(string))
        {
            return generator is IEmbeddingGenerator<string, Embedding<float>>
                ? VectorKind.Text
                : throw new NotSupportedException(
                    $"Vector property '{vector.Name}' of {recordType.Name} is a string, which needs an IEmbeddingGenerator<string, Embedding<float>> (on the property, the definition or the QuiverVectorStore) to become a vector. Configure one, or store ReadOnlyMemory<float>, float[] or Embedding<float>.");
        }

        throw new NotSupportedException(
            $"Vector property '{vector.Name}' of {recordType.Name} is a {type.Name}; Quiver stores ReadOnlyMemory<float>, float[] or Embedding<float> vectors (or a string with an embedding generator).");
    }
}
