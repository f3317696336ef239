using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DataNet.Td;

namespace DataNet.Cli.Output;

/// <summary>
/// One JSON object per message, for piping into jq or a script:
/// <c>{"channel","from","timestamp","contentType","data"}</c>, plus <c>bytes</c>, <c>b64</c> and
/// <c>metadata</c> for binary messages (whose <c>data</c> is null). Exact JSON, with the characters a terminal
/// would act on escaped (<see cref="TerminalText.SafeJson"/>).
/// </summary>
internal static class JsonLines
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Lines go to terminals and pipes, never into HTML: keep non-ASCII text readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Format(DataNetMessage message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("channel", message.Channel);
            writer.WriteString("from", message.From);
            writer.WriteNumber("timestamp", message.Timestamp);
            writer.WriteString("contentType", message.ContentType);
            writer.WritePropertyName("data");
            if (message.IsBinary)
            {
                writer.WriteNullValue();
                writer.WriteNumber("bytes", message.ByteCount);
                writer.WriteString("b64", Convert.ToBase64String(message.Bytes ?? []));
                if (message.MetadataJson is { } metadata)
                {
                    writer.WritePropertyName("metadata");
                    writer.WriteRawValue(metadata);
                }
            }
            else
            {
                writer.WriteRawValue(message.DataJson);
            }

            writer.WriteEndObject();
        }

        return TerminalText.SafeJson(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
