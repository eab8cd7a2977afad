using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Quiver.Core.Npy;

/// <summary>
/// Reads a two-dimensional NumPy .npy matrix written by any writer (NumPy's <c>np.save</c>, <see cref="NpyMatrixWriter"/>):
/// format versions 1 to 3, little-endian float32 (<c>&lt;f4</c>) or float64 (<c>&lt;f8</c>, narrowed to float32), C or
/// Fortran order. The whole matrix is returned row-major.
/// </summary>
public static partial class NpyMatrixReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The matrix in <paramref name="path"/>: its rows × columns values, row after row.</summary>
    public static (float[] Values, int Rows, int Columns) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new QuiverException($"The .npy file '{path}' does not exist.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var preamble = new byte[8];
        if (stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false) < preamble.Length || !preamble.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new QuiverException($"'{path}' is not a .npy file (it does not start with NumPy's magic \\x93NUMPY). Save the matrix with numpy.save.");
        }

        var major = preamble[6];
        int headerLength;
        if (major == 1)
        {
            var two = new byte[2];
            stream.ReadExactly(two);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(two);
        }
        else if (major is 2 or 3)
        {
            var four = new byte[4];
            stream.ReadExactly(four);
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(four));
        }
        else
        {
            throw new QuiverException($"'{path}' is .npy format version {major}.{preamble[7]}, which Quiver does not read (versions 1 to 3). Save it again with numpy.save.");
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var descr = Descr().Match(header);
        var fortran = Fortran().Match(header);
        var shape = Shape().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new QuiverException($"'{path}' has a .npy header Quiver cannot read ({header.Trim()}). Save a two-dimensional float array with numpy.save.");
        }

        var type = descr.Groups[1].Value;
        var width = type switch
        {
            "<f4" or "|f4" => 4,
            "<f8" or "|f8" => 8,
            _ => throw new QuiverException(
                $"'{path}' holds values of type '{type}'; Quiver reads little-endian float32 ('<f4') or float64 ('<f8') matrices. Convert with array.astype(numpy.float32)."),
        };
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length != 2)
        {
            throw new QuiverException(
                $"'{path}' holds an array of shape ({shape.Groups[1].Value}); Quiver reads a matrix of shape (rows, dimensions), one vector per row. Reshape it to two dimensions.");
        }

        var rows = long.Parse(dims[0], CultureInfo.InvariantCulture);
        var columns = long.Parse(dims[1], CultureInfo.InvariantCulture);
        if (rows * columns > Array.MaxLength)
        {
            throw new QuiverException($"'{path}' holds {rows:N0} × {columns:N0} values, more than one array can hold. Split it into smaller files.");
        }

        var count = (int)(rows * columns);
        var raw = new byte[(long)count * width];
        var read = stream.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        if (read < raw.Length)
        {
            throw new QuiverException($"'{path}' is cut short: its header promises {rows:N0} × {columns:N0} values ({raw.Length:N0} bytes of data), but only {read:N0} bytes follow.");
        }

        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = width == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4))
                : (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(i * 8));
        }

        if (fortran.Groups[1].Value == "True")
        {
            values = Transpose(values, (int)columns, (int)rows);
        }

        return (values, (int)rows, (int)columns);
    }

    // Fortran order stores column after column: the transpose of a rows-major (columns × rows) matrix.
    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = values[(r * columns) + c];
            }
        }

        return result;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex Fortran();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex Shape();
}
