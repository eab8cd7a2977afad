using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Quiver.Core.Distances;
using Quiver.Store.Index.Hnsw;

namespace Quiver.Store.Index;

/// <summary>
/// The index snapshot file: a cache of what SQLite holds (node ids, vectors, graph links) up to a recorded sequence
/// number, so opening a collection replays only later changes instead of rebuilding. Written to a temporary file
/// and renamed; an XxHash64 of the content closes the file, so a torn or damaged snapshot is detected and ignored.
/// Its header carries the <see cref="SnapshotBinding"/> of its database, so a snapshot from another collection is ignored too.
/// </summary>
/// <remarks>
/// Layout (little-endian): "QHNS", u32 version, the binding (16-byte collection id, i64 creation time in UTC ticks,
/// i32 database format version), i64 sequence, i32 dimensions, i32 metric, i32 M, i32 efConstruction,
/// i32 nodes, i32 linked nodes, i32 entry, i32 max level; per node: u16 id length (0xFFFF for a tombstone), the id's
/// UTF-8 bytes, u8 level, then per level 0..level a u16 link count and the links; then the vectors
/// (nodes × dimensions float32); then u64 XxHash64 of everything before it.
/// </remarks>
internal static class IndexSnapshot
{
    public const string FileName = "index.qhns";
    // Version 1 had no binding: such a snapshot cannot show which database it belongs to, so it is rebuilt once.
    private const uint Version = 2;
    private const int HeaderBytes = 4 + 4 + 16 + 8 + 4 + 8 + (8 * 4);
    private const ushort Tombstone = ushort.MaxValue;
    private static ReadOnlySpan<byte> Magic => "QHNS"u8;

    public static void Write(string path, CollectionIndex index, SnapshotBinding binding) =>
        Write(path, index.Graph, index.Ids, index.Sequence, binding);

    /// <summary>Writes <paramref name="graph"/> with the id of each node (null for a tombstone).</summary>
    public static void Write(string path, HnswGraph graph, IReadOnlyList<string?> ids, long sequence, SnapshotBinding binding)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var hash = new XxHash64();
            var writer = new HashingWriter(file, hash);
            writer.Bytes(Magic);
            writer.UInt32(Version);
            writer.Bytes(binding.CollectionId.ToByteArray());
            writer.Int64(binding.CreatedAt.UtcTicks);
            writer.Int32(binding.FormatVersion);
            writer.Int64(sequence);
            writer.Int32(graph.Dimensions);
            writer.Int32((int)graph.Metric);
            writer.Int32(graph.Parameters.M);
            writer.Int32(graph.Parameters.EfConstruction);
            writer.Int32(graph.Count);
            writer.Int32(graph.LinkedCount);
            writer.Int32(graph.EntryPoint);
            writer.Int32(graph.MaxLevel);
            for (var node = 0; node < graph.Count; node++)
            {
                var id = ids[node];
                if (id is null)
                {
                    writer.UInt16(Tombstone);
                }
                else
                {
                    var bytes = Encoding.UTF8.GetBytes(id);
                    writer.UInt16((ushort)bytes.Length);
                    writer.Bytes(bytes);
                }

                var linked = node < graph.LinkedCount;
                var level = graph.LevelOf(node);
                writer.Byte((byte)level);
                for (var l = 0; l <= level; l++)
                {
                    var links = linked ? graph.Links(node, l) : [];
                    writer.UInt16((ushort)links.Length);
                    writer.Bytes(MemoryMarshal.AsBytes(links));
                }
            }

            for (var node = 0; node < graph.Count; node++)
            {
                writer.Bytes(MemoryMarshal.AsBytes(graph.Vector(node)));
            }

            Span<byte> checksum = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(checksum, hash.GetCurrentHashAsUInt64());
            file.Write(checksum);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// The settings a snapshot's header records (dimensions, metric, M, efConstruction), or null when the file is too
    /// short or not a Quiver snapshot. The full read (<see cref="TryRead"/>) still checks everything else.
    /// </summary>
    public static (int Dimensions, DistanceMetric Metric, int M, int EfConstruction)? ReadSettings(string path)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            if (file.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes || !header[..4].SequenceEqual(Magic))
            {
                return null;
            }
        }

        // After magic, version, the binding (16 + 8 + 4 bytes) and the sequence: dimensions, metric, M, efConstruction.
        var settings = header[(4 + 4 + 16 + 8 + 4 + 8)..];
        return (BinaryPrimitives.ReadInt32LittleEndian(settings), (DistanceMetric)BinaryPrimitives.ReadInt32LittleEndian(settings[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(settings[8..]), BinaryPrimitives.ReadInt32LittleEndian(settings[12..]));
    }

    /// <summary>Reads a snapshot, or says why it cannot be used (missing, damaged, from another database, or for other settings).</summary>
    public static (CollectionIndex? Index, string? Problem) TryRead(
        string path, SnapshotBinding binding, int dimensions, DistanceMetric metric, IndexOptions options)
    {
        if (!File.Exists(path))
        {
            return (null, "there is no index snapshot");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            return (null, $"the index snapshot could not be read ({e.Message})");
        }

        if (bytes.Length < HeaderBytes + sizeof(ulong) || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            return (null, "the index snapshot is truncated or not a Quiver snapshot");
        }

        var body = bytes.AsSpan(0, bytes.Length - 8);
        if (XxHash64.HashToUInt64(body) != BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8)))
        {
            return (null, "the index snapshot fails its checksum (damaged or torn)");
        }

        try
        {
            var reader = new SpanReader(body);
            reader.Skip(4);
            if (reader.UInt32() != Version)
            {
                return (null, "the index snapshot has another format version");
            }

            var written = new SnapshotBinding(
                new Guid(reader.Bytes(16)), new DateTimeOffset(reader.Int64(), TimeSpan.Zero), reader.Int32());
            if (written != binding)
            {
                return (null, $"the index snapshot belongs to another database ({written}), not this one ({binding})");
            }

            var sequence = reader.Int64();
            var d = reader.Int32();
            var m = (DistanceMetric)reader.Int32();
            var hnswM = reader.Int32();
            var efc = reader.Int32();
            if (d != dimensions || m != metric || hnswM != options.Hnsw.M || efc != options.Hnsw.EfConstruction)
            {
                return (null, "the index snapshot was built with other settings");
            }

            var count = reader.Int32();
            var linkedCount = reader.Int32();
            var entry = reader.Int32();
            var maxLevel = reader.Int32();
            var nodes = new (string? Id, int Level, int[][] Links)[count];
            for (var node = 0; node < count; node++)
            {
                var length = reader.UInt16();
                string? id = length == Tombstone ? null : Encoding.UTF8.GetString(reader.Bytes(length));
                var level = reader.Byte();
                var links = new int[level + 1][];
                for (var l = 0; l <= level; l++)
                {
                    var n = reader.UInt16();
                    links[l] = MemoryMarshal.Cast<byte, int>(reader.Bytes(n * sizeof(int))).ToArray();
                }

                nodes[node] = (id, level, links);
            }

            var vectors = MemoryMarshal.Cast<byte, float>(reader.Bytes(count * d * sizeof(float)));
            var graph = new HnswGraph(d, metric, options.Hnsw, Math.Max(count, 16));
            for (var node = 0; node < count; node++)
            {
                var (id, level, links) = nodes[node];
                graph.Restore(vectors.Slice(node * d, d), level, deleted: id is null, l => links[l]);
            }

            graph.RestoreLinked(linkedCount, entry, maxLevel);
            var index = new CollectionIndex(d, metric, options);
            index.Restore(graph, nodes.Select(n => n.Id).ToList(), sequence);
            return (index, null);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or DecoderFallbackException)
        {
            return (null, $"the index snapshot is inconsistent ({e.Message})");
        }
    }

    private sealed class HashingWriter(Stream stream, XxHash64 hash)
    {
        private readonly byte[] _scratch = new byte[8];

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            hash.Append(bytes);
            stream.Write(bytes);
        }

        public void Byte(byte value) => Bytes([value]);

        public void UInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_scratch, value);
            Bytes(_scratch.AsSpan(0, 2));
        }

        public void UInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_scratch, value);
            Bytes(_scratch.AsSpan(0, 4));
        }

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_scratch, value);
            Bytes(_scratch.AsSpan(0, 4));
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_scratch, value);
            Bytes(_scratch.AsSpan(0, 8));
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> span)
    {
        private ReadOnlySpan<byte> _rest = span;

        public void Skip(int n) => _rest = _rest[n..];

        public ReadOnlySpan<byte> Bytes(int n)
        {
            var result = _rest[..n];
            _rest = _rest[n..];
            return result;
        }

        public byte Byte() => Bytes(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));
    }
}
