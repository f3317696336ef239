using System.Globalization;
using System.Text;

namespace DataNet.Cli.Output;

/// <summary>
/// Text a peer or a server controls (a sender id, a channel, data, an error message) made safe for a terminal:
/// control characters become visible escapes, so an escape sequence can never set the title or clear the screen.
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// The text with C0 controls, DEL, C1 controls, line separators and bidirectional overrides written as
    /// <c>\n</c>, <c>\t</c>, <c>\x1B</c> or <c>\u202E</c>; everything else unchanged.
    /// </summary>
    public static string Visible(string? text)
    {
        if (string.IsNullOrEmpty(text) || IndexOfUnsafe(text) < 0)
        {
            return text ?? string.Empty;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when IsUnsafe(c) && c <= '\u00FF' => builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ when IsUnsafe(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>
    /// JSON text with the characters a terminal acts on (DEL, C1 controls, line separators, bidirectional
    /// overrides) written as <c>\u</c> escapes. Valid JSON stays valid and means the same: raw, these can only
    /// occur inside strings, where the escape is equivalent; C0 controls are never raw in valid JSON.
    /// </summary>
    public static string SafeJson(string json)
    {
        if (IndexOfUnsafe(json) < 0)
        {
            return json;
        }

        var builder = new StringBuilder(json.Length + 16);
        foreach (var c in json)
        {
            _ = IsUnsafe(c) ? builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : builder.Append(c);
        }

        return builder.ToString();
    }

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c) =>
        c < ' '
        || c is >= '\u007F' and <= '\u009F'
        || c is '\u2028' or '\u2029'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';
}
