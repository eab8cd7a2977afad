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

    /// <summary>The size of the log file in bytes.</summary>
    public long Bytes => _file.Length;

    /// <summary>
    /// Forgets the operations up to and including <paramref name="number"/>: the log is written again aside, starting
    /// with a base line at that operation, and moved over the old file, so a crash leaves one whole log or the other.
    /// A replica that asks for operations before the new base is told it diverged and is copied whole.
    /// </summary>
    public void TrimThrough(long number)
    {
        if (number <= Base.Number)
        {
            return;
        }

        if (number > Last.Number)
        {
            throw new InvalidOperationException($"The log cannot be trimmed through operation {number}: its last is {Last.Number}.");
        }

        var kept = new List<ShardOperation>();
        for (var n = number + 1; n <= Last.Number; n++)
        {
            kept.Add(Read(n)!);
        }

        var newBase = new ReplicaPosition(number, EpochOf(number)!.Value);
        var aside = _path + ".trim";
        using (var writer = new FileStream(aside, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            writer.Write(JsonSerializer.SerializeToUtf8Bytes(new LogBase(newBase.Number, newBase.Epoch), LogJson.Default.LogBase));
            writer.WriteByte((byte)'\n');
            foreach (var operation in kept)
            {
                writer.Write(JsonSerializer.SerializeToUtf8Bytes(operation, LogJson.Default.ShardOperation));
                writer.WriteByte((byte)'\n');
            }

            writer.Flush(flushToDisk: true);
        }

        _file.Dispose();
        File.Move(aside, _path, overwrite: true);
        _file = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        _offsets.Clear();
        Base = Last = new ReplicaPosition(0, 0);
        Load();
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

            // Only the first line can be a base, and it ends with the flag (an operation ends with its own fields),
            // so a point id or payload that says "base" is never taken for one.
            if (offset == 0 && line.EndsWith("\"base\":true}", StringComparison.Ordinal))
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
