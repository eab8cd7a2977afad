using System.Globalization;
using System.Text;

namespace Quiver.Bench;

/// <summary>
/// JSON string literals read and written with every non-ASCII character escaped, so that strings holding lone
/// surrogates (which System.Text.Json refuses) pass between Quiver and Node unchanged.
/// </summary>
internal static class JsonLines
{
    public static string EncodeString(string value)
    {
        var output = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case >= ' ' and < (char)0x7F: output.Append(c); break;
                default: output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
            }
        }

        return output.Append('"').ToString();
    }

    public static string DecodeString(string json)
    {
        var output = new StringBuilder(json.Length);
        for (var i = 1; i < json.Length - 1; i++)
        {
            var c = json[i];
            if (c != '\\')
            {
                output.Append(c);
                continue;
            }

            var e = json[++i];
            output.Append(e switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                'b' => "\b",
                'f' => "\f",
                'u' => ((char)int.Parse(json.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString(),
                _ => e.ToString(),
            });
            if (e == 'u')
            {
                i += 4;
            }
        }

        return output.ToString();
    }
}
