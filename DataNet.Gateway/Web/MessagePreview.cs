using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DataNet.Gateway.Logging;

namespace DataNet.Gateway.Web;

/// <summary>
/// What the page shows of a relayed message: its payload as bounded, escaped text, and its numeric fields for the
/// plot. Reads the gateway's own <c>message</c> envelope, so the payload has been parsed once already and is valid JSON.
/// </summary>
internal sealed record MessagePreview(string? From, long Ts, string Text, bool Binary)
{
    /// <summary>Longest payload text sent to the page (characters); longer ones are cut and say their length.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>Most numeric fields plotted per channel.</summary>
    public const int MaxFields = 16;

    /// <summary>Payloads up to this many bytes are rewritten compactly; larger ones are shown from their first bytes.</summary>
    private const int CompactUpTo = 16 * 1024;

    private const int MaxDepth = 4;
    private const int MaxFieldName = 64;

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static MessagePreview Read(byte[] envelope)
    {
        using var document = JsonDocument.Parse(envelope);
        var root = document.RootElement;
        var from = root.TryGetProperty("from", out var f) ? LogText.Escape(f.GetString()) : null;
        var ts = root.TryGetProperty("ts", out var t) && t.TryGetInt64(out var ms) ? ms : 0;
        if (root.TryGetProperty("bin", out var bin) && bin.ValueKind == JsonValueKind.True)
        {
            var bytes = root.GetProperty("bytes").GetInt64();
            var contentType = LogText.Escape(root.GetProperty("ct").GetString());
            return new MessagePreview(from, ts, string.Create(CultureInfo.InvariantCulture, $"binary, {bytes} bytes, {contentType}"), true);
        }
        return new MessagePreview(from, ts, PayloadText(root.GetProperty("d")), false);
    }

    /// <summary>
    /// The payload's numbers by path: a bare number is <c>value</c>, object fields are <c>x</c>, <c>pos.y</c>, array
    /// items <c>v[0]</c>. At most <see cref="MaxFields"/>, in payload order; booleans and strings are not plotted.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Numbers(byte[] envelope)
    {
        using var document = JsonDocument.Parse(envelope);
        var numbers = new List<KeyValuePair<string, double>>();
        if (document.RootElement.TryGetProperty("d", out var d))
        {
            Collect(d, "", 0, numbers);
        }
        return numbers;
    }

    private static string PayloadText(JsonElement d)
    {
        var raw = JsonMarshal.GetRawUtf8Value(d);
        if (raw.Length > CompactUpTo)
        {
            // Only the start is shown: decode no more than that (a cut character becomes U+FFFD).
            return LogText.Escape(Encoding.UTF8.GetString(raw[..(MaxTextLength * 4)]), MaxTextLength)
                + string.Create(CultureInfo.InvariantCulture, $"...({raw.Length} bytes)");
        }
        var buffer = new ArrayBufferWriter<byte>(raw.Length);
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            d.WriteTo(writer);
        }
        return LogText.Escape(Encoding.UTF8.GetString(buffer.WrittenSpan), MaxTextLength)!;
    }

    private static void Collect(JsonElement value, string path, int depth, List<KeyValuePair<string, double>> numbers)
    {
        if (numbers.Count >= MaxFields || depth > MaxDepth)
        {
            return;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number):
                numbers.Add(new(path.Length == 0 ? "value" : path, number));
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (numbers.Count >= MaxFields)
                    {
                        break;
                    }
                    var name = LogText.Escape(property.Name, MaxFieldName)!;
                    Collect(property.Value, path.Length == 0 ? name : path + "." + name, depth + 1, numbers);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (numbers.Count >= MaxFields)
                    {
                        break;
                    }
                    Collect(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), depth + 1, numbers);
                }
                break;
        }
    }
}
