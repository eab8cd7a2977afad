using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Store.Filtering;

namespace Quiver.VectorData;

/// <summary>
/// Turns a LINQ filter over records (<c>r =&gt; r.Lang == "en" &amp;&amp; r.Year &gt;= 2020</c>) into a
/// <see cref="PayloadFilter"/> over the payload fields the data properties are stored in. Parts that do not mention
/// the record (constants, captured variables, member access on closures) are evaluated once, here.
/// </summary>
internal sealed class FilterTranslator
{
    private const string Supported =
        "supported: ==, !=, <, <=, >, >=, &&, ||, !, Contains, between a data property and a constant or captured variable";

    // A condition that always holds, and one that never does (NOT of an empty filter).
    private static readonly NestedFilterCondition Always = new(new PayloadFilter());
    private static readonly NestedFilterCondition Never = new(new PayloadFilter(MustNot: [Always]));

    private readonly RecordModel _model;
    private readonly ParameterExpression _record;

    private FilterTranslator(RecordModel model, ParameterExpression record)
    {
        _model = model;
        _record = record;
    }

    /// <summary>The payload filter for <paramref name="filter"/>, or null when it lets every record through.</summary>
    public static PayloadFilter? Translate(LambdaExpression filter, RecordModel model)
    {
        var translator = new FilterTranslator(model, filter.Parameters[0]);
        var condition = translator.Condition(filter.Body);
        if (ReferenceEquals(condition, Always))
        {
            return null;
        }

        return condition is NestedFilterCondition nested ? nested.Filter : new PayloadFilter(Must: [condition]);
    }

    private Condition Condition(Expression expression)
    {
        if (!MentionsRecord(expression))
        {
            return Evaluate(expression) is true ? Always : Never;
        }

        switch (expression)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.And } both when both.Type == typeof(bool):
                return new NestedFilterCondition(new PayloadFilter(Must: Operands(both, ExpressionType.AndAlso, ExpressionType.And)));
            case BinaryExpression { NodeType: ExpressionType.OrElse or ExpressionType.Or } either when either.Type == typeof(bool):
                return new NestedFilterCondition(new PayloadFilter(Should: Operands(either, ExpressionType.OrElse, ExpressionType.Or)));
            case UnaryExpression { NodeType: ExpressionType.Not } not when not.Type == typeof(bool):
                return Not(Condition(not.Operand));
            case BinaryExpression comparison:
                return Comparison(comparison);
            case MethodCallExpression call:
                return Contains(call);
            case MemberExpression { Member.Name: "HasValue", Expression: { } nullable } when Nullable.GetUnderlyingType(nullable.Type) is not null && TryBind(nullable, out var optional):
                return Not(IsNull(optional));
        }

        if (TryBind(expression, out var property) && property.ValueType == typeof(bool))
        {
            return new FieldCondition(property.StorageName, JsonValue.Create(true));
        }

        throw Unsupported(expression);
    }

    private List<Condition> Operands(BinaryExpression expression, ExpressionType shortCircuit, ExpressionType logical)
    {
        var conditions = new List<Condition>();
        void Collect(Expression operand)
        {
            if (operand is BinaryExpression binary && (binary.NodeType == shortCircuit || binary.NodeType == logical) && binary.Type == typeof(bool))
            {
                Collect(binary.Left);
                Collect(binary.Right);
            }
            else
            {
                conditions.Add(Condition(operand));
            }
        }

        Collect(expression);
        return conditions;
    }

    private Condition Comparison(BinaryExpression comparison)
    {
        RecordProperty property;
        object? value;
        var op = comparison.NodeType;
        if (TryBind(comparison.Left, out var left) && !MentionsRecord(comparison.Right))
        {
            (property, value) = (left, Evaluate(comparison.Right));
        }
        else if (TryBind(comparison.Right, out var right) && !MentionsRecord(comparison.Left))
        {
            (property, value) = (right, Evaluate(comparison.Left));
            op = op switch
            {
                ExpressionType.LessThan => ExpressionType.GreaterThan,
                ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
                ExpressionType.GreaterThan => ExpressionType.LessThan,
                ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
                _ => op,
            };
        }
        else
        {
            throw Unsupported(comparison);
        }

        switch (op)
        {
            case ExpressionType.Equal:
                return value is null ? IsNull(property) : new FieldCondition(property.StorageName, JsonValueOf(value, comparison));
            case ExpressionType.NotEqual:
                return Not(value is null ? IsNull(property) : new FieldCondition(property.StorageName, JsonValueOf(value, comparison)));
            case ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual:
                if (!IsNumber(property.ValueType) || value is null || !IsNumber(value.GetType()))
                {
                    throw Unsupported(
                        comparison,
                        $"<, <=, >, >= compare numbers only, and this compares {property.ValueType.Name} property '{property.Name}' with {(value is null ? "null" : value.GetType().Name)}");
                }

                var bound = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return op switch
                {
                    ExpressionType.LessThan => new RangeCondition(property.StorageName, Lt: bound),
                    ExpressionType.LessThanOrEqual => new RangeCondition(property.StorageName, Lte: bound),
                    ExpressionType.GreaterThan => new RangeCondition(property.StorageName, Gt: bound),
                    _ => new RangeCondition(property.StorageName, Gte: bound),
                };
            default:
                throw Unsupported(comparison);
        }
    }

    // Contains in its shapes: list.Contains(x), Enumerable.Contains(source, x), and MemoryExtensions.Contains(span, x),
    // which C# 14 binds for arrays (through an implicit conversion to a span).
    private Condition Contains(MethodCallExpression call)
    {
        Expression? source = null;
        Expression? item = null;
        if (call.Method.Name == nameof(Enumerable.Contains))
        {
            if (call.Method.IsStatic && (call.Method.DeclaringType == typeof(Enumerable) || call.Method.DeclaringType == typeof(MemoryExtensions)) &&
                (call.Arguments.Count == 2 || (call.Arguments.Count == 3 && call.Arguments[2] is ConstantExpression { Value: null })))
            {
                (source, item) = (Unspan(call.Arguments[0]), call.Arguments[1]);
            }
            else if (!call.Method.IsStatic && call.Object is not null && call.Arguments.Count == 1 &&
                     call.Object.Type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(call.Object.Type))
            {
                (source, item) = (call.Object, call.Arguments[0]);
            }
        }

        if (source is null || item is null)
        {
            throw Unsupported(call);
        }

        if (TryBind(source, out var field) && !MentionsRecord(item))
        {
            if (field.Type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(field.Type))
            {
                throw Unsupported(call, $"Contains looks into array and list properties, and '{field.Name}' is a {field.Type.Name}");
            }

            var element = Evaluate(item) ?? throw Unsupported(call, "Quiver cannot look for null inside an array property");
            return new FieldCondition(field.StorageName, JsonValueOf(element, call));
        }

        if (!MentionsRecord(source) && TryBind(item, out var property))
        {
            var values = ((IEnumerable?)Evaluate(source) ?? throw Unsupported(call, "the list of values is null")).Cast<object?>().ToList();
            Condition anyOf = new MatchAnyCondition(property.StorageName, values.OfType<object>().Select(v => JsonValueOf(v, call)).ToList());
            return values.Contains(null)
                ? new NestedFilterCondition(new PayloadFilter(Should: [anyOf, IsNull(property)]))
                : anyOf;
        }

        throw Unsupported(call);
    }

    /// <summary>Whether <paramref name="expression"/> reads a record property, and which (after conversions the comparison does not depend on).</summary>
    private bool TryBind(Expression expression, out RecordProperty property)
    {
        property = null!;
        expression = StripConversions(expression);
        string name;
        if (expression is MemberExpression { Member.Name: "Value", Expression: { } nullable } && Nullable.GetUnderlyingType(nullable.Type) is not null)
        {
            return TryBind(nullable, out property);
        }

        if (expression is MemberExpression { Expression: { } owner } member && StripConversions(owner) == _record)
        {
            name = member.Member.Name;
        }
        else if (expression is MethodCallExpression { Method.Name: "get_Item", Object: { } dictionary, Arguments: [var argument] } &&
                 StripConversions(dictionary) == _record && !MentionsRecord(argument) && Evaluate(argument) is string key)
        {
            name = key;
        }
        else
        {
            return false;
        }

        var found = _model.Property(name) ?? throw Unsupported(expression, $"'{name}' is not a mapped property of {_model.RecordType.Name}");
        if (found == _model.Key)
        {
            throw Unsupported(
                expression,
                $"filtering on the key property '{found.Name}' is not supported, because keys are Quiver point ids rather than payload fields; get records by key with GetAsync(keys) instead");
        }

        if (found == _model.Vector)
        {
            throw Unsupported(expression, $"'{found.Name}' is the vector property; filters test data properties");
        }

        property = found;
        return true;
    }

    // Drops conversions that keep the value (to a nullable, an enum's number, a wider number, or to and from object).
    private static Expression StripConversions(Expression expression)
    {
        while (expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs } convert &&
               KeepsValue(convert.Operand.Type, convert.Type))
        {
            expression = convert.Operand;
        }

        return expression;
    }

    private static bool KeepsValue(Type from, Type to)
    {
        if (from == typeof(object) || to == typeof(object) || to.IsAssignableFrom(from))
        {
            return true;
        }

        from = Nullable.GetUnderlyingType(from) ?? from;
        to = Nullable.GetUnderlyingType(to) ?? to;
        if (from.IsEnum)
        {
            from = Enum.GetUnderlyingType(from);
        }

        if (from == to)
        {
            return true;
        }

        var smallInteger = from == typeof(short) || from == typeof(sbyte) || from == typeof(byte) || from == typeof(ushort);
        var integer = smallInteger || from == typeof(int) || from == typeof(uint) || from == typeof(long) || from == typeof(ulong);
        return Type.GetTypeCode(to) switch
        {
            TypeCode.Double => integer || from == typeof(float),
            TypeCode.Single or TypeCode.Decimal => integer,
            TypeCode.Int64 => smallInteger || from == typeof(int) || from == typeof(uint),
            TypeCode.Int32 => smallInteger,
            _ => false,
        };
    }

    private static Expression Unspan(Expression expression)
    {
        expression = StripConversions(expression);
        var array = expression switch
        {
            MethodCallExpression { Method.Name: "op_Implicit", Arguments: [var converted] } when IsSpan(expression.Type) => converted,
            NewExpression { Arguments: [var wrapped] } when IsSpan(expression.Type) => wrapped,
            _ => null,
        };
        return array is null ? expression : StripConversions(array);
    }

    private static bool IsSpan(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>) || type.GetGenericTypeDefinition() == typeof(Span<>));

    private bool MentionsRecord(Expression expression)
    {
        var finder = new ParameterFinder(_record);
        finder.Visit(expression);
        return finder.Found;
    }

    private static object? Evaluate(Expression expression) => expression switch
    {
        ConstantExpression constant => constant.Value,
        _ => Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile(preferInterpretation: true)(),
    };

    private static NestedFilterCondition Not(Condition condition) => new(new PayloadFilter(MustNot: [condition]));

    // Quiver writes every data property, nulls included; an absent field (a point written another way) counts as null
    // too, except for arrays, where IsEmpty would also take an empty array for null.
    private static Condition IsNull(RecordProperty property) =>
        property.Type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.Type)
            ? new IsNullCondition(property.StorageName)
            : new IsEmptyCondition(property.StorageName);

    private static JsonValue JsonValueOf(object value, Expression context) =>
        JsonSerializer.SerializeToNode(value, value.GetType()) as JsonValue
        ?? throw Unsupported(context, $"it compares with a {value.GetType().Name}, where Quiver matches a string, number, boolean or date");

    private static bool IsNumber(Type type) => Type.GetTypeCode(type) is
        TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or
        TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal && !type.IsEnum;

    private static NotSupportedException Unsupported(Expression expression, string? reason = null) => new(
        $"Quiver cannot translate the filter expression '{expression}'{(reason is null ? string.Empty : ": " + reason)}; {Supported}.");

    private sealed class ParameterFinder(ParameterExpression parameter) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (Found || node is null)
            {
                return node;
            }

            if (node == parameter)
            {
                Found = true;
                return node;
            }

            return base.Visit(node);
        }
    }
}
