namespace Quiver.Bench;

/// <summary>"--name value" pairs after a verb.</summary>
internal sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --name value pairs after the verb, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new Args(values);
    }

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
}
