using System.Text.Json;

namespace Quiver.Cluster.Replication;

/// <summary>
/// A replica's log of the operations it applied, one JSON line each, flushed to disk before the operation is applied
/// to the collection: what a lagging replica replays from. A "base" line records where a full copy left off. The
/// offsets of the lines are kept in memory; the operations themselves are read back from the file on demand.
/// </summary>
internal sealed class OperationLog : IDisposable
{
    private readonly string _path;
    private readonly List<long> _offsets = [];
    private FileStream _file;

    public OperationLog(string path)
    {
        _path = path;
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        Load();
    }

    /// <summary>The operation number the log starts after (a full copy's position), 0 for a log from the start.</summary>
    public ReplicaPosition Base { get; private set; } = new(0, 0);

    public ReplicaPosition Last { get; private set; } = new(0, 0);

    public void Append(ShardOperation operation) => Append([operation]);

    /// <summary>Appends operations that follow the log's last in order, with one flush to disk for all of them.</summary>
    public void Append(IReadOnlyList<ShardOperation> operations)
    {
        _file.Seek(0, SeekOrigin.End);
        foreach (var operation in operations)
        {
            if (operation.Number != Last.Number + 1)
            {
                throw new InvalidOperationException($"Operation {operation.Number} does not follow the log's last, {Last.Number}.");
            }

            _offsets.Add(_file.Position);
            _file.Write(JsonSerializer.SerializeToUtf8Bytes(operation, LogJson.Default.ShardOperation));
            _file.WriteByte((byte)'\n');
            Last = new ReplicaPosition(operation.Number, operation.Epoch);
        }

        _file.Flush(flushToDisk: true);
    }

    /// <summary>Takes back the last appended operation (its collection refused it, so it never happened).</summary>
    public void RemoveLast()
    {
        var offset = _offsets[^1];
        _offsets.RemoveAt(_offsets.Count - 1);
        _file.SetLength(offset);
        _file.Flush(flushToDisk: true);
        var previous = Last.Number - 1;
        Last = previous == Base.Number ? Base : new ReplicaPosition(previous, Read(previous)!.Epoch);
    }

    /// <summary>Starts the log again after a full copy taken at <paramref name="position"/>.</summary>
    public void Reset(ReplicaPosition position)
    {
        _file.Dispose();
        File.WriteAllText(_path, JsonSerializer.Serialize(new LogBase(position.Number, position.Epoch), LogJson.Default.LogBase) + "\n");
        _file = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        _offsets.Clear();
        Base = Last = position;
    }

    /// <summary>The logged operation numbered <paramref name="number"/>, or null when the log does not hold it.</summary>
    public ShardOperation? Read(long number)
    {
        var index = number - Base.Number - 1;
        if (index < 0 || index >= _offsets.Count)
        {
            return null;
        }

        _file.Seek(_offsets[(int)index], SeekOrigin.Begin);
        using var reader = new StreamReader(_file, leaveOpen: true);
        return JsonSerializer.Deserialize(reader.ReadLine()!, LogJson.Default.ShardOperation);
    }

    /// <summary>The epoch of operation <paramref name="number"/>, when the log knows it (the base counts).</summary>
    public long? EpochOf(long number) => number == Base.Number ? Base.Epoch : Read(number)?.Epoch;

    public void Dispose() => _file.Dispose();

    private void Load()
    {
        _file.Seek(0, SeekOrigin.Begin);
        using var reader = new StreamReader(_file, leaveOpen: true);
        long offset = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var length = System.Text.Encoding.UTF8.GetByteCount(line) + 1;
            if (line.Length == 0)
            {
                offset += length;
                continue;
            }

            if (line.Contains("\"base\"", StringComparison.Ordinal) && _offsets.Count == 0)
            {
                var b = JsonSerializer.Deserialize(line, LogJson.Default.LogBase)!;
                Base = Last = new ReplicaPosition(b.Number, b.Epoch);
            }
            else
            {
                ShardOperation operation;
                try
                {
                    operation = JsonSerializer.Deserialize(line, LogJson.Default.ShardOperation)!;
                }
                catch (JsonException)
                {
                    // A line torn by a crash mid-append was never acknowledged: cut it off.
                    _file.SetLength(offset);
                    break;
                }

                _offsets.Add(offset);
                Last = new ReplicaPosition(operation.Number, operation.Epoch);
            }

            offset += length;
        }
    }
}
