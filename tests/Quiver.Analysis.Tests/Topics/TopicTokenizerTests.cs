using Quiver.Analysis.Topics;

namespace Quiver.Analysis.Tests.Topics;

public sealed class TopicTokenizerTests
{
    [Fact]
    public void Stop_words_numbers_and_possessives_are_dropped() =>
        Assert.Equal(["card", "pin", "arrived", "weeks", "x11"], TopicTokenizer.Words("The card's PIN hasn't arrived, 2 weeks! X11 a").ToList());
}
