namespace Quiver.Analysis.Evaluation;

/// <summary>A document of a retrieval test collection.</summary>
public sealed record RetrievalDocument(string Id, string Title, string Text)
{
    /// <summary>Title and text together, as they are indexed.</summary>
    public string FullText => Title.Length == 0 ? Text : Text.Length == 0 ? Title : Title + "\n" + Text;
}
