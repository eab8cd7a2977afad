namespace Quiver.Models.Tests.Onnx;

/// <summary>A model's last_hidden_state for a batch: [batch, sequence, hidden] values, row-major.</summary>
internal sealed record BertOutput(float[] Values, long[] Shape)
{
    /// <summary>Element <paramref name="j"/> of token <paramref name="t"/> of sequence <paramref name="b"/>.</summary>
    public float At(int b, int t, int j) => Values[(((b * (int)Shape[1]) + t) * (int)Shape[2]) + j];
}
