using System;
using System.Text;
using System.Text.Json;
using DataNet.Td.Values;

namespace DataNet.Td.Protocol;

/// <summary>
/// Decodes server frames. Runs on the socket thread and never throws: anything unexpected becomes
/// <see cref="ServerFrameKind.Malformed"/> so one bad frame cannot take the connection down.
/// </summary>
internal static class ServerFrameReader
{
    private const int RecentStrings = 8;

    [ThreadStatic]
    private static string[]? t_recent;

    [ThreadStatic]
    private static int t_next;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A text frame.</summary>
    public static ServerFrame ReadText(string text, long nowUnixMs)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return Read(document.RootElement, nowUnixMs);
        }
        catch (JsonException)
        {
            return ServerFrame.Malformed("not JSON");
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
        {
            return ServerFrame.Malformed(ex.Message);
        }
    }

    /// <summary>A binary frame: UTF-8 JSON first (some gateways send envelopes as binary), else a legacy raw frame.</summary>
    public static ServerFrame ReadBinary(byte[] bytes, long nowUnixMs)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException)
        {
            return ServerFrame.RawBinary(bytes);
        }

        var trimmed = text.TrimStart();
        if (trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '['))
        {
            var frame = ReadText(text, nowUnixMs);
            if (frame.Kind != ServerFrameKind.Malformed)
            {
                return frame;
            }
        }

        return ServerFrame.RawBinary(bytes);
    }

    private static ServerFrame Read(JsonElement root, long nowUnixMs)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ServerFrame.Malformed("not a JSON object");
        }

        var type = String(root, "type");
        var op = String(root, "op");
        switch (type)
        {
            case "connected":
                return ServerFrame.Connected();
            case "error":
                return ServerFrame.ForError(GatewayErrors.FromEnvelope(root));
            case "sub_ack":
                return ServerFrame.SubAck(String(root, "ch"), Int(root, "occupancy"));
            case "unsub_ack":
                return ServerFrame.UnsubAck(String(root, "ch"));
            case "hb_ack":
                // Note the ack carries op:"hb": it is not a request and must not be mistaken for one.
                return ServerFrame.HeartbeatAck();
        }

        if (type == "message" || op == "pub")
        {
            return ReadMessage(root, nowUnixMs);
        }

        return ServerFrame.Ignored();
    }

    private static ServerFrame ReadMessage(JsonElement root, long nowUnixMs)
    {
        var channel = Reused(root, "ch");
        if (string.IsNullOrEmpty(channel))
        {
            return ServerFrame.Malformed("message without a channel");
        }

        var from = Reused(root, "from") ?? string.Empty;
        var ts = nowUnixMs;
        if (root.TryGetProperty("ts", out var tsElement) && tsElement.ValueKind == JsonValueKind.Number)
        {
            ts = tsElement.TryGetInt64(out var exact) ? exact : (long)tsElement.GetDouble();
        }

        if (root.TryGetProperty("bin", out var bin) && bin.ValueKind == JsonValueKind.True &&
            root.TryGetProperty("b64", out var b64) && b64.ValueKind == JsonValueKind.String)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(b64.GetString()!);
            }
            catch (FormatException)
            {
                return ServerFrame.Malformed("binary message with invalid base64");
            }

            var byteCount = Int(root, "bytes") ?? bytes.Length;
            var meta = root.TryGetProperty("meta", out var m) && m.ValueKind == JsonValueKind.Object ? m.GetRawText() : null;
            return ServerFrame.ForMessage(new DataNetMessage(channel!, from, ts, bytes, String(root, "ct"), byteCount, meta, isRaw: false));
        }

        if (root.TryGetProperty("d", out var d))
        {
            return ServerFrame.ForMessage(new DataNetMessage(channel!, from, ts, d.GetRawText(), NumericFlattener.Flatten(d)));
        }

        return ServerFrame.ForMessage(new DataNetMessage(channel!, from, ts, "null", Array.Empty<NumericField>()));
    }

    /// <summary>
    /// A string member, reusing the string of a recent frame when the bytes are equal: a stream repeats its channel and
    /// sender, so most messages allocate neither (a few recent values per thread, compared without allocating).
    /// </summary>
    private static string? Reused(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var recent = t_recent ??= new string[RecentStrings];
        foreach (var candidate in recent)
        {
            if (candidate is not null && value.ValueEquals(candidate))
            {
                return candidate;
            }
        }

        var text = value.GetString()!;
        if (text.Length <= 256)
        {
            recent[t_next] = text;
            t_next = (t_next + 1) % RecentStrings;
        }

        return text;
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : null;
}
