using Microsoft.ML.OnnxRuntime;

namespace Quiver.Models.Tests.Import;

/// <summary>A named input tensor for an imported model.</summary>
internal sealed class Input
{
    private readonly Func<OrtValue> _create;

    private Input(string name, Func<OrtValue> create)
    {
        Name = name;
        _create = create;
    }

    public string Name { get; }

    public static Input Floats(string name, float[] values, params long[] shape) =>
        new(name, () => OrtValue.CreateTensorValueFromMemory(values, shape));

    public static Input Ints(string name, int[] values, params long[] shape) =>
        new(name, () => OrtValue.CreateTensorValueFromMemory(values, shape));

    public static Input Longs(string name, long[] values, params long[] shape) =>
        new(name, () => OrtValue.CreateTensorValueFromMemory(values, shape));

    public static Input Bools(string name, bool[] values, params long[] shape) =>
        new(name, () => OrtValue.CreateTensorValueFromMemory(values, shape));

    public OrtValue Create() => _create();
}
