namespace Quiver.Analysis.Topics;

/// <summary>
/// English function words (articles, pronouns, auxiliaries, prepositions, conjunctions, common adverbs and their
/// contractions) that say nothing about a topic. Written for Quiver; it errs on the short side, so content words stay.
/// </summary>
public static class EnglishStopWords
{
    private static readonly HashSet<string> Words = new(
        """
        a about above across after afterwards again against all almost alone along already also although always am among
        amongst an and another any anyhow anyone anything anyway anywhere are aren't around as at back be became because
        become becomes becoming been before beforehand behind being below beside besides between beyond both but by can
        can't cannot could couldn't did didn't do does doesn't doing don't done down due during each either else
        elsewhere enough etc even ever every everyone everything everywhere except few for former formerly from further
        had hadn't has hasn't have haven't having he he'd he'll hence her here hereafter hereby herein hers herself him
        himself his how however i i'd i'll i'm i've ie if in indeed into is isn't it it'll it's its itself just
        latter latterly least less let's many may me meanwhile might mine more moreover most mostly much must mustn't my
        myself namely neither never nevertheless next no nobody none noone nor not nothing now nowhere of off often on
        once one only onto or other others otherwise our ours ourselves out over own per perhaps rather re same
        seem seemed seeming seems several she she'd she'll should shouldn't since so some somehow someone something
        sometime sometimes somewhere still such than that that's the their theirs them themselves then thence there
        there's thereafter thereby therefore therein thereupon these they they'd they'll they're they've this those
        though through throughout thru thus to together too toward towards under until up upon us very via was wasn't
        we we'd we'll we're we've were weren't what what's whatever when whence whenever where whereafter whereas
        whereby wherein whereupon wherever whether which while whither who who's whoever whole whom whose why will with
        within without won't would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    public static bool Contains(string word) => Words.Contains(word);
}
