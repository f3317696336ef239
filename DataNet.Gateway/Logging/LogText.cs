using System;
using System.Globalization;
using System.Text;

namespace DataNet.Gateway.Logging;

/// <summary>
/// Makes text that came from a client safe for a log line or the web page: control, format and separator characters
/// and unpaired surrogates become <c>\uXXXX</c> (so a value cannot forge a line, move a terminal's cursor or reorder
/// the text around it), and long values are cut.
/// </summary>
internal static class LogText
{
    private const int MaxLength = 200;

    /// <summary>The text made safe, at most <paramref name="maxLength"/> characters plus a note of the full length.</summary>
    public static string? Escape(string? text, int maxLength = MaxLength)
    {
        if (text is null || (text.Length <= maxLength && IsPrintable(text)))
        {
            return text;
        }
        var builder = new StringBuilder(maxLength + 24);
        var i = 0;
        while (i < text.Length && builder.Length < maxLength)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) == System.Buffers.OperationStatus.Done && !IsUnsafe(rune))
            {
                builder.Append(text, i, used);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)text[i]:x4}");
                used = 1;
            }
            i += used;
        }
        if (i < text.Length)
        {
            builder.Append(CultureInfo.InvariantCulture, $"...({text.Length} chars)");
        }
        return builder.ToString();
    }

    /// <summary>True when every character is well-formed and safe to print (see <see cref="IsUnsafe"/>).</summary>
    public static bool IsPrintable(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done || IsUnsafe(rune))
            {
                return false;
            }
            i += used;
        }
        return true;
    }

    /// <summary>
    /// C0/C1 controls (newline, escape), format characters (bidirectional overrides), line and paragraph
    /// separators: what a value must not bring into a log line or a terminal.
    /// </summary>
    private static bool IsUnsafe(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
