namespace Quiver.Core;

/// <summary>
/// The base of every error Quiver raises on purpose. Its message says what was wrong, with the offending value,
/// and what to do about it.
/// </summary>
public class QuiverException : Exception
{
    public QuiverException(string message)
        : base(message)
    {
    }

    public QuiverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
