using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.AI;
using Quiver.Core.Spaces;

namespace Quiver.Models.Caching;

/// <summary>
/// The SHA-256 of an input's exact text within its scope: the embedding space and every request option that may
/// change the output. Equal keys mean the same vector; another model, revision, metric, dimension count or option
/// gives another key.
/// </summary>
internal readonly record struct EmbeddingCacheKey(UInt128 High, UInt128 Low)
{
    public const int Size = 32;

    // Bumped whenever what enters a key changes, so that entries written by an older Quiver miss instead of answering.
    private const string Format = "quiver.embedding_cache.v1";

    // Inputs this short hash from the stack; longer ones borrow a pooled buffer.
    private const int StackLimit = 1024;

    /// <summary>
    /// The hash every key of one request starts from. Options enter whole: Dimensions, ModelId and each
    /// AdditionalProperties entry (in ordinal name order, by its JSON form), because the cache cannot know which of
    /// them the inner generator reads; a caller separates query and passage prompts, say, by setting one.
    /// </summary>
    public static byte[] Scope(EmbeddingSpace space, EmbeddingGenerationOptions? options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteText(buffer, Format);
        WriteText(buffer, space.ModelId);
        WriteText(buffer, space.Revision);
        WriteInt(buffer, space.Dimensions);
        WriteText(buffer, space.Metric.ToString());
        WriteInt(buffer, space.Normalized ? 1 : 0);
        WriteInt(buffer, options?.Dimensions ?? -1);
        WriteInt(buffer, options?.ModelId is null ? 0 : 1);
        WriteText(buffer, options?.ModelId ?? string.Empty);

        var properties = options?.AdditionalProperties;
        WriteInt(buffer, properties?.Count ?? 0);
        if (properties is not null)
        {
            foreach (var (name, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                WriteText(buffer, name);
                var json = Json(name, value);
                WriteInt(buffer, json.Length);
                buffer.Write(json);
            }
        }

        return SHA256.HashData(buffer.WrittenSpan);
    }

    public static EmbeddingCacheKey Of(ReadOnlySpan<byte> scope, string input)
    {
        var size = scope.Length + MaxEncodedLength(input.Length);
        byte[]? rented = null;
        Span<byte> buffer = size <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            scope.CopyTo(buffer);
            var length = scope.Length + Encode(input, buffer[scope.Length..]);
            Span<byte> hash = stackalloc byte[Size];
            SHA256.HashData(buffer[..length], hash);
            return Read(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static EmbeddingCacheKey Read(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(bytes), BinaryPrimitives.ReadUInt128BigEndian(bytes[16..]));

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, High);
        BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(16), Low);
        return bytes;
    }

    private static byte[] Json(string name, object? value)
    {
        if (value is null)
        {
            return "null"u8.ToArray();
        }

        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException(
                $"The embedding cache keys on every option that may change the output, and AdditionalProperties[\"{name}\"] " +
                $"(a {value.GetType()}) cannot be written as JSON: {e.Message} Give it a JSON-serialisable value, such as a string or a number.",
                "options",
                e);
        }
    }

    private static void WriteInt(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(sizeof(int)), value);
        buffer.Advance(sizeof(int));
    }

    private static void WriteText(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(sizeof(int) + MaxEncodedLength(text.Length));
        var length = Encode(text, span[sizeof(int)..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        buffer.Advance(sizeof(int) + length);
    }

    private static int MaxEncodedLength(int chars) => 1 + (3 * chars);

    /// <summary>
    /// UTF-8 after a 0 tag. A string with a lone surrogate has no UTF-8 form, and replacing it would let two
    /// different inputs share a key, so such a string is written as its UTF-16 code units after a 1 tag.
    /// </summary>
    private static int Encode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (Utf8.FromUtf16(text, destination[1..], out _, out var written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done)
        {
            destination[0] = 0;
            return 1 + written;
        }

        destination[0] = 1;
        for (var i = 0; i < text.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(1 + (2 * i))..], text[i]);
        }

        return 1 + (2 * text.Length);
    }
}
