namespace Quiver.Core.Text;

/// <summary>Counts whitespace-separated words: for encoders without a length limit (word vectors), with a chosen chunk size.</summary>
public sealed class WhitespaceTokenCounter : ITokenCounter
{
    public WhitespaceTokenCounter(int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        MaxTokens = maxTokens;
    }

    public int MaxTokens { get; }

    public int Count(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                count++;
            }

            inWord = !space;
        }

        return count;
    }
}
