using System.Buffers;
using System.Text.Json;

namespace Quiver.Server.Http;

/// <summary>
/// The keys of one JSON object while it is scanned, to find a repeated key without making a string of each: a
/// randomly seeded hash of the unescaped key maps to where the key starts in the body, and keys whose hashes meet are
/// compared byte for byte. About 20 bytes per key, whatever the key's length.
/// </summary>
internal sealed class JsonKeySet
{
    private readonly Dictionary<int, int> _first = [];
    private readonly List<(int Hash, int Start)> _more = [];

    public void Clear()
    {
        _first.Clear();
        _more.Clear();
    }

    /// <summary>Adds the key whose token starts at <paramref name="start"/> in <paramref name="body"/>; false when the object already has it.</summary>
    public bool Add(ReadOnlySpan<byte> body, int start, ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        if (!_first.TryAdd(hash, start))
        {
            if (Same(body, _first[hash], key))
            {
                return false;
            }

            foreach (var (other, at) in _more)
            {
                if (other == hash && Same(body, at, key))
                {
                    return false;
                }
            }

            _more.Add((hash, start));
        }

        return true;
    }

    /// <summary>Where the key <paramref name="key"/> (unescaped UTF-8) starts, or -1.</summary>
    public int Find(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        if (_first.TryGetValue(hash, out var start) && Same(body, start, key))
        {
            return start;
        }

        foreach (var (other, at) in _more)
        {
            if (other == hash && Same(body, at, key))
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>The unescaped UTF-8 of the string token at the reader, into <paramref name="scratch"/> when it has escapes.</summary>
    public static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader, ref byte[]? scratch)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        var needed = reader.ValueSpan.Length;
        if (scratch is null || scratch.Length < needed)
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            scratch = ArrayPool<byte>.Shared.Rent(needed);
        }

        var written = reader.CopyString(scratch);
        return scratch.AsSpan(0, written);
    }

    /// <summary>The string token (a key) that starts at <paramref name="start"/>, unescaped.</summary>
    public static string KeyAt(ReadOnlySpan<byte> body, int start)
    {
        var reader = new Utf8JsonReader(body[start..], isFinalBlock: false, state: default);
        reader.Read();
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
        }
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        // HashCode is seeded at random per process, so a client cannot choose keys that all meet.
        var hash = default(HashCode);
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    private static bool Same(ReadOnlySpan<byte> body, int start, ReadOnlySpan<byte> key)
    {
        var reader = new Utf8JsonReader(body[start..], isFinalBlock: false, state: default);
        reader.Read();
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan.SequenceEqual(key);
        }

        byte[]? scratch = null;
        try
        {
            return Unescaped(ref reader, ref scratch).SequenceEqual(key);
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }
}
