namespace Quiver.Core;

/// <summary>The rule for names that become folder names (models, collections): safe on every file system.</summary>
public static class ResourceName
{
    /// <summary>Throws a <see cref="QuiverException"/> saying what a valid name looks like when <paramref name="name"/> is not one.</summary>
    /// <param name="what">What is being named ("model", "collection").</param>
    public static void Validate(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || name.StartsWith('.') ||
            !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new QuiverException(
                $"'{name}' is not a valid {what} name. Use 1 to 64 ASCII letters, digits, '-', '_' or '.', not starting with '.'.");
        }
    }
}
