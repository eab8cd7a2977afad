using System.Reflection;

namespace Quiver.VectorData;

/// <summary>One mapped property of a record: its model name, its name in the payload, its type and how to read and write it.</summary>
internal sealed class RecordProperty
{
    private readonly Func<object, object?> _get;
    private readonly Action<object, object?> _set;

    private RecordProperty(string name, string storageName, Type type, Func<object, object?> get, Action<object, object?> set)
    {
        Name = name;
        StorageName = storageName;
        Type = type;
        _get = get;
        _set = set;
    }

    /// <summary>The .NET property name, or the dictionary key of a dynamic record.</summary>
    public string Name { get; }

    /// <summary>The payload field the value is stored under.</summary>
    public string StorageName { get; }

    public Type Type { get; }

    /// <summary>The type without <see cref="Nullable{T}"/>.</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Type) ?? Type;

    public static RecordProperty Of(PropertyInfo property, string? storageName)
    {
        if (property.GetMethod is null || property.SetMethod is null)
        {
            throw new NotSupportedException(
                $"Property '{property.Name}' of {property.DeclaringType?.Name} needs a public getter and setter (init is fine) for Quiver to map it.");
        }

        return new RecordProperty(property.Name, storageName ?? property.Name, property.PropertyType, property.GetValue, property.SetValue);
    }

    public static RecordProperty OfDictionary(string name, string? storageName, Type type) => new(
        name,
        storageName ?? name,
        type,
        record => ((Dictionary<string, object?>)record).GetValueOrDefault(name),
        (record, value) => ((Dictionary<string, object?>)record)[name] = value);

    public object? Get(object record) => _get(record);

    public void Set(object record, object? value) => _set(record, value);

    public override string ToString() => Name;
}
