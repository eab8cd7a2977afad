using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Quiver.Core.Npy;

namespace Quiver.Core.Tests;

public sealed class NpyMatrixWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("quiver-npy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_file_follows_the_npy_1_0_format()
    {
        var path = Path.Combine(_folder, "m.npy");
        var rows = Rows(3, 5);
        using (var writer = NpyMatrixWriter.Create(path, 5))
        {
            foreach (var row in rows)
            {
                writer.Write(row);
            }
        }

        var (shape, data) = ReadBySpec(File.ReadAllBytes(path));
        Assert.Equal((3L, 5), shape);
        Assert.Equal(rows.SelectMany(r => r), data);
    }

    [Fact]
    public void Every_flush_leaves_a_valid_file_that_counts_the_rows_so_far()
    {
        var path = Path.Combine(_folder, "m.npy");
        using var writer = NpyMatrixWriter.Create(path, 2);
        Assert.Equal((0L, 2), ReadBySpec(ReadShared(path)).Shape);
        foreach (var count in new[] { 1, 9, 90, 900 })
        {
            for (var i = 0; i < count; i++)
            {
                writer.Write([i, -i]);
            }

            writer.Flush();
            var bytes = ReadShared(path);
            Assert.Equal(writer.Length, bytes.Length);
            Assert.Equal(writer.Rows, ReadBySpec(bytes).Shape.Rows);
        }

        Assert.Equal(1000, writer.Rows);
    }

    [Fact]
    public void Append_cuts_what_follows_the_given_rows_and_continues_to_the_same_bytes()
    {
        var rows = Rows(8, 3);
        var whole = Path.Combine(_folder, "whole.npy");
        using (var writer = NpyMatrixWriter.Create(whole, 3))
        {
            foreach (var row in rows)
            {
                writer.Write(row);
            }
        }

        // A run that got to row 6, flushed at row 4 and was stopped half way through writing row 7.
        var cut = Path.Combine(_folder, "cut.npy");
        using (var writer = NpyMatrixWriter.Create(cut, 3))
        {
            foreach (var row in rows.Take(6))
            {
                writer.Write(row);
            }
        }

        using (var stream = new FileStream(cut, FileMode.Append))
        {
            stream.Write(new byte[5]);
        }

        using (var writer = NpyMatrixWriter.Append(cut, 3, rows: 4))
        {
            Assert.Equal(4, writer.Rows);
            Assert.Equal((4L, 3), ReadBySpec(ReadShared(cut)).Shape);
            foreach (var row in rows.Skip(4))
            {
                writer.Write(row);
            }
        }

        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(cut));
    }

    [Fact]
    public void Append_refuses_other_columns_a_short_file_and_a_foreign_header()
    {
        var path = Path.Combine(_folder, "m.npy");
        using (var writer = NpyMatrixWriter.Create(path, 4))
        {
            writer.Write([1, 2, 3, 4]);
        }

        Assert.Contains("4-dimensional rows, not 3", Assert.Throws<QuiverException>(() => NpyMatrixWriter.Append(path, 3, 1)).Message);
        Assert.Contains("shorter than the 2 rows", Assert.Throws<QuiverException>(() => NpyMatrixWriter.Append(path, 4, 2)).Message);

        // NumPy's own header for a float64 matrix.
        var foreign = File.ReadAllBytes(path);
        Encoding.ASCII.GetBytes("'<f8'").CopyTo(foreign, 20);
        File.WriteAllBytes(path, foreign);
        Assert.Contains("not a float32 (<f4)", Assert.Throws<QuiverException>(() => NpyMatrixWriter.Append(path, 4, 1)).Message);
    }

    [Fact]
    public void Numpy_reads_the_file_when_python_with_numpy_is_installed()
    {
        var path = Path.Combine(_folder, "m.npy");
        var rows = Rows(4, 3);
        rows[1][2] = float.Epsilon;
        rows[2][0] = float.MaxValue;
        rows[3][1] = -0f;
        using (var writer = NpyMatrixWriter.Create(path, 3))
        {
            foreach (var row in rows)
            {
                writer.Write(row);
            }
        }

        // Tests pass without Python; where numpy is installed it is the reference reader.
        if (FindNumpy() is not { } python)
        {
            return;
        }

        var output = RunPython(
            python,
            "import sys, numpy as np\n" +
            "a = np.load(sys.argv[1])\n" +
            "assert a.dtype == np.float32 and a.flags.c_contiguous and a.ndim == 2, (a.dtype, a.flags)\n" +
            "print(a.shape[0], a.shape[1])\n" +
            "print(' '.join(repr(float(x)) for x in a.ravel()))\n",
            path);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("4 3", lines[0]);
        var values = lines[1].Split(' ').Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(rows.SelectMany(r => r), values);
        Assert.True(float.IsNegative(values[10]));

        using (NpyMatrixWriter.Create(path, 7))
        {
        }

        Assert.Equal("0 7", RunPython(python, "import sys, numpy as np\na = np.load(sys.argv[1])\nprint(a.shape[0], a.shape[1])\n", path).Trim());
    }

    private static float[][] Rows(int count, int columns)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, columns).Select(_ => (float)((random.NextDouble() - 0.5) * 1000)).ToArray())];
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    // The format as NumPy documents it (numpy.lib.format): magic, version, little-endian header length, a Python dict
    // literal padded with spaces and ended by a newline so that the data starts on a 64-byte boundary, then the data.
    private static ((long Rows, int Columns) Shape, float[] Data) ReadBySpec(byte[] file)
    {
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'], file[..6]);
        Assert.Equal(1, file[6]);
        Assert.Equal(0, file[7]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        var dataStart = 10 + headerLength;
        Assert.Equal(0, dataStart % 64);
        var header = Encoding.ASCII.GetString(file, 10, headerLength);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Matches(@"^\{'descr': '<f4', 'fortran_order': False, 'shape': \(\d+, \d+\), \} *\n$", header);
        var shape = Regex.Match(header, @"\((\d+), (\d+)\)");
        var rows = long.Parse(shape.Groups[1].Value, CultureInfo.InvariantCulture);
        var columns = int.Parse(shape.Groups[2].Value, CultureInfo.InvariantCulture);
        var data = file.AsSpan(dataStart);
        Assert.True(data.Length >= rows * columns * 4, "the data is shorter than the shape says");
        var values = new float[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
        }

        return ((rows, columns), values);
    }

    private static string? FindNumpy()
    {
        // A version manager's python3 may shadow the system one that has numpy.
        foreach (var python in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(python, ["-c", "import numpy"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
                process.WaitForExit();
                if (process.ExitCode == 0)
                {
                    return python;
                }
            }
            catch (Win32Exception)
            {
                // Not installed here.
            }
        }

        return null;
    }

    private static string RunPython(string python, string script, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(python, ["-c", script, argument]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
