namespace Quiver.Models.Images;

/// <summary>
/// tf.image.resizeBilinear as tfjs-backend-cpu's ResizeBilinear kernel computes it: source coordinates and blends
/// in double precision, each result stored as float32, corners taken from floor/ceil of the source coordinate
/// clamped to the image. Only the window [cropLeft, cropLeft + destinationWidth) x [cropTop, ...) of the
/// resizedWidth x resizedHeight result is produced, so a centre crop costs no more than its output.
/// </summary>
internal static class TensorFlowBilinear
{
    public static void Resize(
        ReadOnlySpan<float> source, int width, int height,
        Span<float> destination, int resizedWidth, int resizedHeight,
        int cropLeft, int cropTop, int destinationWidth, int destinationHeight,
        bool alignCorners, bool halfPixelCenters)
    {
        const int Channels = 3;
        var rowRatio = Ratio(height, resizedHeight, alignCorners);
        var columnRatio = Ratio(width, resizedWidth, alignCorners);
        var index = 0;
        for (var r = cropTop; r < cropTop + destinationHeight; r++)
        {
            var sourceRow = halfPixelCenters ? rowRatio * (r + 0.5) - 0.5 : rowRatio * r;
            var rowFloor = Math.Max(0, (int)Math.Floor(sourceRow));
            var rowFraction = sourceRow - rowFloor;
            var rowCeil = Math.Min(height - 1, (int)Math.Ceiling(sourceRow));
            var topOffset = rowFloor * width * Channels;
            var bottomOffset = rowCeil * width * Channels;
            for (var c = cropLeft; c < cropLeft + destinationWidth; c++)
            {
                var sourceColumn = halfPixelCenters ? columnRatio * (c + 0.5) - 0.5 : columnRatio * c;
                var columnFloor = Math.Max(0, (int)Math.Floor(sourceColumn));
                var columnFraction = sourceColumn - columnFloor;
                var columnCeil = Math.Min(width - 1, (int)Math.Ceiling(sourceColumn));
                for (var channel = 0; channel < Channels; channel++)
                {
                    double topLeft = source[topOffset + columnFloor * Channels + channel];
                    double topRight = source[topOffset + columnCeil * Channels + channel];
                    double bottomLeft = source[bottomOffset + columnFloor * Channels + channel];
                    double bottomRight = source[bottomOffset + columnCeil * Channels + channel];
                    var top = topLeft + (topRight - topLeft) * columnFraction;
                    var bottom = bottomLeft + (bottomRight - bottomLeft) * columnFraction;
                    destination[index++] = (float)(top + (bottom - top) * rowFraction);
                }
            }
        }
    }

    private static double Ratio(int input, int output, bool alignCorners) =>
        alignCorners && output > 1 ? (input - 1) / (double)(output - 1) : input / (double)output;
}
