using System.Buffers.Binary;
using System.Text;
using Quiver.Core.Npy;

namespace Quiver.Core.Tests;

public sealed class NpyMatrixReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("quiver-npy-read-").FullName;

    [Fact]
    public void Reads_back_what_the_writer_wrote()
    {
        var path = Path.Combine(_folder, "rows.npy");
        using (var writer = NpyMatrixWriter.Create(path, 3))
        {
            writer.Write([1, 2, 3]);
            writer.Write([4, 5, -6.5f]);
        }

        var (values, rows, columns) = NpyMatrixReader.Read(path);
        Assert.Equal((2, 3), (rows, columns));
        Assert.Equal([1f, 2, 3, 4, 5, -6.5f], values);
    }

    [Fact]
    public void Float64_in_fortran_order_is_narrowed_and_transposed()
    {
        // NumPy's layout for np.asfortranarray([[1, 2, 3], [4, 5, 6]], dtype='<f8'): column after column.
        var path = Path.Combine(_folder, "fortran.npy");
        File.WriteAllBytes(path, Npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", [1, 4, 2, 5, 3, 6]));
        var (values, rows, columns) = NpyMatrixReader.Read(path);
        Assert.Equal((2, 3), (rows, columns));
        Assert.Equal([1f, 2, 3, 4, 5, 6], values);
    }

    [Fact]
    public void Other_types_shapes_and_short_files_are_refused_with_the_fix()
    {
        var ints = Path.Combine(_folder, "ints.npy");
        File.WriteAllBytes(ints, Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }", [0]));
        Assert.Contains("astype(numpy.float32)", Assert.Throws<QuiverException>(() => NpyMatrixReader.Read(ints)).Message);

        var vector = Path.Combine(_folder, "vector.npy");
        File.WriteAllBytes(vector, Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", [1, 2, 3]));
        Assert.Contains("Reshape", Assert.Throws<QuiverException>(() => NpyMatrixReader.Read(vector)).Message);

        var cut = Path.Combine(_folder, "cut.npy");
        File.WriteAllBytes(cut, Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", [1, 2, 3]));
        Assert.Contains("cut short", Assert.Throws<QuiverException>(() => NpyMatrixReader.Read(cut)).Message);

        var text = Path.Combine(_folder, "text.npy");
        File.WriteAllText(text, "1,2,3");
        Assert.Contains("not a .npy file", Assert.Throws<QuiverException>(() => NpyMatrixReader.Read(text)).Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // A version 1.0 file: magic, version, header length, the dict padded with spaces to 64 bytes, then float64 values.
    private static byte[] Npy(string dict, double[] values)
    {
        var header = dict.PadRight(64 - 10 - 1) + "\n";
        var bytes = new List<byte>([0x93, .. "NUMPY"u8.ToArray(), 1, 0]);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        bytes.AddRange(length);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        foreach (var v in values)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(b, v);
            bytes.AddRange(b);
        }

        return [.. bytes];
    }
}
