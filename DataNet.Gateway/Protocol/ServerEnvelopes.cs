using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DataNet.Gateway.Protocol;

/// <summary>
/// Serialises every server-to-client envelope with the exact key order of protocol.md section 4.
/// Each result is a UTF-8 text frame, built once and shared by every recipient.
/// </summary>
internal static class ServerEnvelopes
{
    // Relaxed escaping keeps base64 '+' and non-ASCII channel names byte-identical to what the client sent.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    public static byte[] Connected(string connId) => Build(w =>
    {
        w.WriteString("type", "connected");
        w.WriteString("connId", connId);
    });

    public static byte[] SubAck(string channel, int occupancy) => Build(w =>
    {
        w.WriteString("type", "sub_ack");
        w.WriteString("op", "hereNow");
        w.WriteString("ch", channel);
        w.WriteNumber("occupancy", occupancy);
    });

    public static byte[] UnsubAck(string channel) => Build(w =>
    {
        w.WriteString("type", "unsub_ack");
        w.WriteString("op", "unsubAck");
        w.WriteString("ch", channel);
    });

    public static byte[] HeartbeatAck(long timestampMs) => Build(w =>
    {
        w.WriteString("type", "hb_ack");
        w.WriteString("op", "hb");
        w.WriteNumber("timestamp", timestampMs);
    });

    /// <summary><c>{"type":"message","op":"pub","ch","d","ts","from"}</c>; <paramref name="rawData"/> is copied verbatim.</summary>
    public static byte[] Message(string channel, ReadOnlySpan<byte> rawData, long ts, string from)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + channel.Length + rawData.Length + from.Length);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type", "message");
            w.WriteString("op", "pub");
            w.WriteString("ch", channel);
            w.WritePropertyName("d");
            w.WriteRawValue(rawData, skipInputValidation: true);
            w.WriteNumber("ts", ts);
            w.WriteString("from", from);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>{"type":"message","op":"pub","ch","bin","b64","ct","bytes","ts","from","meta"?}</c>;
    /// <paramref name="rawMeta"/> (an object) is copied verbatim and omitted when empty.
    /// </summary>
    public static byte[] BinaryMessage(
        string channel, string base64, string contentType, int byteCount, long ts, string from, ReadOnlySpan<byte> rawMeta)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + channel.Length + base64.Length + rawMeta.Length);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type", "message");
            w.WriteString("op", "pub");
            w.WriteString("ch", channel);
            w.WriteBoolean("bin", true);
            w.WriteString("b64", base64);
            w.WriteString("ct", contentType);
            w.WriteNumber("bytes", byteCount);
            w.WriteNumber("ts", ts);
            w.WriteString("from", from);
            if (!rawMeta.IsEmpty)
            {
                w.WritePropertyName("meta");
                w.WriteRawValue(rawMeta, skipInputValidation: true);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Error(ServerError error) => Build(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("error", error.Code);
        if (error.Channel is not null)
        {
            w.WriteString("channel", error.Channel);
        }
        if (error.Operation is not null)
        {
            w.WriteString("operation", error.Operation);
        }
        if (error.Limit is { } limit)
        {
            w.WriteNumber("limit", limit);
        }
        if (error.Required is not null)
        {
            w.WriteString("required", error.Required);
        }
        if (error.RetryMs is { } retryMs)
        {
            w.WriteNumber("retry_ms", retryMs);
        }
        if (error.Scope is not null)
        {
            w.WriteString("scope", error.Scope);
        }
        if (error.Message is not null)
        {
            w.WriteString("message", error.Message);
        }
    });

    /// <summary>A REST body: <c>{"occupancy":n,"members":[...]}</c>.</summary>
    public static byte[] Presence(IReadOnlyList<string> members) => Build(w =>
    {
        w.WriteNumber("occupancy", members.Count);
        w.WriteStartArray("members");
        foreach (var member in members)
        {
            w.WriteStringValue(member);
        }
        w.WriteEndArray();
    });

    /// <summary>A REST error body: <c>{"error":"...","code":"..."}</c> (code omitted when null).</summary>
    public static byte[] RestError(string error, string? code, string? required = null) => Build(w =>
    {
        w.WriteString("error", error);
        if (code is not null)
        {
            w.WriteString("code", code);
        }
        if (required is not null)
        {
            w.WriteString("required", required);
        }
    });

    public static byte[] Token(string token) => Build(w => w.WriteString("token", token));

    private static byte[] Build(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
