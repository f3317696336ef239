using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DataNet.Td.Protocol;

/// <summary>
/// Client-to-server envelopes, byte-exact with the sibling SDKs: key order <c>op, ch, d</c> or
/// <c>op, ch, bin, b64, ct, meta</c>; <c>meta</c> omitted when absent; standard padded base64; no escaping beyond what
/// JSON requires (so <c>+</c> in base64 stays <c>+</c>, as JSON.stringify writes it).
/// </summary>
internal static class ClientEnvelopes
{
    public const string Heartbeat = "{\"op\":\"hb\"}";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Subscribe(string channel) => Simple("sub", channel);

    public static string Unsubscribe(string channel) => Simple("unsub", channel);

    /// <summary>A JSON publish; <paramref name="json"/> must be one valid JSON value (ArgumentException otherwise).</summary>
    public static string Publish(string channel, string json)
    {
        if (json is null)
        {
            throw new ArgumentNullException(nameof(json));
        }

        return Write(writer =>
        {
            writer.WriteString("op", "pub");
            writer.WriteString("ch", channel);
            writer.WritePropertyName("d");
            WriteRaw(writer, json, nameof(json), requireObject: false);
        });
    }

    /// <summary>A binary publish; <paramref name="metadataJson"/>, when given, must be a JSON object.</summary>
    public static string PublishBinary(string channel, byte[] bytes, string? contentType, string? metadataJson)
    {
        if (bytes is null)
        {
            throw new ArgumentNullException(nameof(bytes));
        }

        return Write(writer =>
        {
            writer.WriteString("op", "pub");
            writer.WriteString("ch", channel);
            writer.WriteBoolean("bin", true);
            writer.WriteString("b64", Convert.ToBase64String(bytes));
            writer.WriteString("ct", string.IsNullOrEmpty(contentType) ? DataNetMessage.OctetStream : contentType);
            if (metadataJson is not null)
            {
                writer.WritePropertyName("meta");
                WriteRaw(writer, metadataJson, nameof(metadataJson), requireObject: true);
            }
        });
    }

    private static string Simple(string op, string channel) => Write(writer =>
    {
        writer.WriteString("op", op);
        writer.WriteString("ch", channel);
    });

    private static void WriteRaw(Utf8JsonWriter writer, string json, string parameter, bool requireObject)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{parameter} is not valid JSON: {ex.Message}", parameter, ex);
        }

        using (document)
        {
            if (requireObject && document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"{parameter} must be a JSON object.", parameter);
            }

            // Re-written compactly; numbers keep their exact text, strings are re-escaped minimally.
            document.RootElement.WriteTo(writer);
        }
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
