using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DataNet.Cli.Output;

namespace DataNet.Cli.Recording;

/// <summary>
/// Writes a recording as JSON Lines: the header, then one line per message with the wire's own keys
/// (<c>ch</c>, <c>from</c>, <c>ts</c>, <c>d</c>, or <c>bin</c>, <c>b64</c>, <c>ct</c>, <c>meta</c>) after <c>t</c>, the
/// arrival offset in milliseconds. Everything a peer sent is written as JSON data, with the characters a terminal acts on
/// escaped, so <c>cat</c> on a recording is as safe as <c>datanet sub --json</c>.
/// </summary>
internal sealed class RecordingWriter(Stream stream)
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // A file people read with cat and jq, never HTML: keep non-ASCII text readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ArrayBufferWriter<byte> _line = new(1024);

    /// <summary>Message lines written.</summary>
    public long Messages { get; private set; }

    /// <summary>Bytes written, header included.</summary>
    public long Bytes { get; private set; }

    public void WriteHeader(RecordingHeader header) => WriteLine(writer =>
    {
        writer.WriteString(RecordingKeys.Format, RecordingHeader.Format);
        writer.WriteNumber(RecordingKeys.Version, header.Version);
        writer.WriteString(RecordingKeys.StartedAt, header.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteStartArray(RecordingKeys.Channels);
        foreach (var channel in header.Channels)
        {
            writer.WriteStringValue(channel);
        }

        writer.WriteEndArray();
        writer.WriteString(RecordingKeys.Gateway, header.Gateway);
    });

    public void Write(RecordedMessage message)
    {
        WriteLine(writer =>
        {
            // Microseconds are plenty: the clock that stamped them ticks every millisecond or so.
            writer.WriteNumber(RecordingKeys.Offset, Math.Round(message.OffsetMs, 3));
            writer.WriteString(RecordingKeys.Channel, message.Channel);
            if (message.From is { } from)
            {
                writer.WriteString(RecordingKeys.From, from);
            }

            if (message.Timestamp is { } timestamp)
            {
                writer.WriteNumber(RecordingKeys.Timestamp, timestamp);
            }

            if (message.Bytes is { } bytes)
            {
                writer.WriteBoolean(RecordingKeys.Binary, true);
                writer.WriteBase64String(RecordingKeys.Base64, bytes);
                writer.WriteString(RecordingKeys.ContentType, message.ContentType);
                if (message.MetadataJson is { } metadata)
                {
                    writer.WritePropertyName(RecordingKeys.Metadata);
                    writer.WriteRawValue(metadata);
                }
            }
            else
            {
                writer.WritePropertyName(RecordingKeys.Data);
                writer.WriteRawValue(message.DataJson ?? "null");
            }
        });
        Messages++;
    }

    public void Flush() => stream.Flush();

    private void WriteLine(Action<Utf8JsonWriter> writeProperties)
    {
        _line.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_line, WriterOptions))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        var text = TerminalText.SafeJson(Encoding.UTF8.GetString(_line.WrittenSpan)) + "\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        stream.Write(bytes);
        Bytes += bytes.Length;
    }
}
