using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Quiver.Core.Npy;

/// <summary>
/// The fixed-size header of the .npy files <see cref="NpyMatrixWriter"/> writes (format version 1.0): the magic
/// string, the version, the header length and a Python dict literal describing a little-endian float32 matrix in C
/// order, padded with spaces to <see cref="Length"/> bytes and ended by a newline.
/// </summary>
internal static partial class NpyHeader
{
    /// <summary>
    /// The whole header, magic included. NumPy aligns the data to 64 bytes; 128 leaves room for a row count of 19
    /// digits, so the header can be rewritten in place as rows are appended without moving the data.
    /// </summary>
    public const int Length = 128;

    private const int PreambleLength = 10;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static byte[] Format(long rows, int columns)
    {
        var dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        var header = new byte[Length];
        Magic.CopyTo(header);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), Length - PreambleLength);
        header.AsSpan(PreambleLength).Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, header.AsSpan(PreambleLength));
        header[^1] = (byte)'\n';
        return header;
    }

    /// <summary>The shape of a header this class wrote; anything else (another writer's layout, dtype or order) is refused.</summary>
    public static (long Rows, int Columns) Parse(ReadOnlySpan<byte> header, string path)
    {
        if (header.Length < Length || !header[..Magic.Length].SequenceEqual(Magic) || header[6] != 1 || header[7] != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(header[8..]) != Length - PreambleLength)
        {
            throw new QuiverException($"'{path}' does not start with the .npy header Quiver writes (version 1.0, {Length} bytes); it cannot be appended to. Write a new file instead.");
        }

        var dict = Encoding.ASCII.GetString(header[PreambleLength..Length]);
        var match = Dict().Match(dict);
        if (!match.Success)
        {
            throw new QuiverException($"'{path}' is not a float32 (<f4), C-order, two-dimensional .npy file (header {dict.Trim()}); it cannot be appended to. Write a new file instead.");
        }

        return (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^\{'descr': '<f4', 'fortran_order': False, 'shape': \((\d{1,19}), (\d{1,10})\), \} *\n$")]
    private static partial Regex Dict();
}
