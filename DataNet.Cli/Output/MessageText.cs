using System;
using System.Globalization;
using System.Text;
using DataNet.Td;

namespace DataNet.Cli.Output;

/// <summary>Short human-readable text for messages: data previews and ages.</summary>
internal static class MessageText
{
    /// <summary>
    /// JSON data as sent (cut to <paramref name="maxChars"/>); binary as content type, size and leading bytes.
    /// Safe for a terminal (<see cref="TerminalText.Visible"/>).
    /// </summary>
    public static string Data(DataNetMessage message, int maxChars = 120)
    {
        if (!message.IsBinary)
        {
            return Cut(TerminalText.Visible(message.DataJson), maxChars);
        }

        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"<{TerminalText.Visible(message.ContentType)}, {message.ByteCount} bytes");
        if (message.Bytes is { Length: > 0 } bytes)
        {
            builder.Append(": ").Append(Hex(bytes, 16));
        }

        if (message.MetadataJson is { } metadata)
        {
            builder.Append(", meta ").Append(Cut(TerminalText.Visible(metadata), 60));
        }

        return Cut(builder.Append('>').ToString(), maxChars);
    }

    /// <summary><c>--raw</c>: the data only, JSON as sent (<see cref="TerminalText.SafeJson"/>), binary as standard base64.</summary>
    public static string Raw(DataNetMessage message) => message.IsBinary
        ? Convert.ToBase64String(message.Bytes ?? [])
        : TerminalText.SafeJson(message.DataJson);

    public static string Hex(byte[] bytes, int maxBytes)
    {
        var shown = Math.Min(bytes.Length, maxBytes);
        var hex = Convert.ToHexString(bytes, 0, shown);
        var builder = new StringBuilder(shown * 3);
        for (var i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(hex, i * 2, 2);
        }

        return bytes.Length > shown ? builder.Append(" ...").ToString() : builder.ToString();
    }

    /// <summary>Age of a server timestamp (unix ms) as "0.4 s", "12 s", "3 min".</summary>
    public static string Age(long timestampMs, DateTimeOffset now)
    {
        var seconds = Math.Max(0, (now.ToUnixTimeMilliseconds() - timestampMs) / 1000.0);
        return seconds switch
        {
            < 10 => seconds.ToString("0.0 's'", CultureInfo.InvariantCulture),
            < 120 => seconds.ToString("0 's'", CultureInfo.InvariantCulture),
            _ => (seconds / 60).ToString("0 'min'", CultureInfo.InvariantCulture),
        };
    }

    public static string Cut(string text, int maxChars) =>
        text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, Math.Max(0, maxChars - 3)), "...");
}
