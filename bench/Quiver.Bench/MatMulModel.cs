using System.Runtime.InteropServices;

namespace Quiver.Bench;

/// <summary>
/// The one-node ONNX model the gemm benchmark runs (c = a · b, b a constant square matrix), written as protobuf bytes
/// here: the benchmark needs nothing else of ONNX, and the catalogue's graph builder is its own machinery, not an API.
/// Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto).
/// </summary>
internal static class MatMulModel
{
    private const int FloatType = 1;

    public static byte[] Build(float[] weights, int size)
    {
        if (weights.Length != size * size)
        {
            throw new ArgumentException($"A {size}×{size} matrix has {size * size} weights, not {weights.Length}.", nameof(weights));
        }

        var graph = new Message()
            .Bytes(1, new Message().String(1, "a").String(1, "b").String(2, "c").String(3, "matmul").String(4, "MatMul"))
            .String(2, "gemm")
            .Bytes(5, new Message().Int(1, size).Int(1, size).Int(2, FloatType).String(8, "b").Bytes(9, MemoryMarshal.AsBytes(weights.AsSpan()).ToArray()))
            .Bytes(11, Value("a", size))
            .Bytes(12, Value("c", size));
        return new Message()
            .Int(1, 8)
            .String(2, "Quiver.Bench")
            .Bytes(7, graph)
            .Bytes(8, new Message().String(1, string.Empty).Int(2, 17))
            .ToArray();
    }

    // A float tensor value of shape [size, size].
    private static Message Value(string name, int size)
    {
        var shape = new Message().Bytes(1, new Message().Int(1, size)).Bytes(1, new Message().Int(1, size));
        var tensor = new Message().Int(1, FloatType).Bytes(2, shape);
        return new Message().String(1, name).Bytes(2, new Message().Bytes(1, tensor));
    }

    private sealed class Message
    {
        private readonly List<byte> _bytes = [];

        public Message Int(int field, long value)
        {
            Key(field, 0);
            Varint((ulong)value);
            return this;
        }

        public Message String(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

        public Message Bytes(int field, Message value) => Bytes(field, value.ToArray());

        public Message Bytes(int field, byte[] value)
        {
            Key(field, 2);
            Varint((ulong)value.Length);
            _bytes.AddRange(value);
            return this;
        }

        public byte[] ToArray() => [.. _bytes];

        private void Key(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.Add((byte)value);
        }
    }
}
