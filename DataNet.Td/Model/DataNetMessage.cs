using System;
using System.Text;

namespace DataNet.Td;

/// <summary>
/// A message received on a channel, handed to handlers inside <c>Poll</c>. The JSON of <c>d</c> is kept as the UTF-8
/// bytes it arrived as (<see cref="DataUtf8"/>); <see cref="DataJson"/> makes a string of it only when first asked.
/// </summary>
public sealed class DataNetMessage
{
    /// <summary>The content type reported for JSON messages.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The content type used when neither the envelope nor the subscription names one.</summary>
    public const string OctetStream = "application/octet-stream";

    internal static readonly ReadOnlyMemory<byte> NullUtf8 = Encoding.UTF8.GetBytes("null");

    private string? _dataJson;

    internal DataNetMessage(string channel, string from, long timestamp, ReadOnlyMemory<byte> dataUtf8)
    {
        Channel = channel;
        From = from;
        Timestamp = timestamp;
        DataUtf8 = dataUtf8;
        ContentType = JsonContentType;
    }

    internal DataNetMessage(string channel, string from, long timestamp, byte[] bytes, string? contentType, int byteCount, string? metadataJson, bool isRaw)
    {
        Channel = channel;
        From = from;
        Timestamp = timestamp;
        DataUtf8 = NullUtf8;
        _dataJson = "null";
        IsBinary = true;
        IsRaw = isRaw;
        Bytes = bytes;
        DeclaredContentType = contentType;
        ContentType = contentType ?? OctetStream;
        ByteCount = byteCount;
        MetadataJson = metadataJson;
    }

    /// <summary>The channel, exactly as the gateway sent it.</summary>
    public string Channel { get; }

    /// <summary>The sender id (<c>from</c>); empty when the gateway sent none.</summary>
    public string From { get; }

    /// <summary>Server timestamp, unix milliseconds (<c>ts</c>); the local receive time when the gateway sent none.</summary>
    public long Timestamp { get; }

    /// <summary>True for a binary message (<c>bin:true</c> with <c>b64</c>, or a raw binary frame).</summary>
    public bool IsBinary { get; }

    /// <summary>True for a legacy raw binary WebSocket frame (no envelope: no sender, no timestamp, no content type).</summary>
    public bool IsRaw { get; }

    /// <summary>
    /// The JSON text of <c>d</c>, exactly as received; <c>"null"</c> for binary messages and when <c>d</c> was absent.
    /// Made from <see cref="DataUtf8"/> on first use (then kept), so a handler that never reads it costs no string.
    /// </summary>
    public string DataJson => _dataJson ??= Utf8ToString(DataUtf8);

    /// <summary>
    /// The JSON of <c>d</c> as the UTF-8 bytes received (<c>null</c> for binary messages): for parsers that read UTF-8,
    /// such as <c>System.Text.Json.Utf8JsonReader</c>, without making a string. Read-only and shared; valid for as long
    /// as the message is kept.
    /// </summary>
    public ReadOnlyMemory<byte> DataUtf8 { get; }

    /// <summary>The decoded bytes of a binary message; null for JSON. Shared by every handler: treat as read-only.</summary>
    public byte[]? Bytes { get; }

    /// <summary><c>application/json</c> for JSON; for binary, <c>ct</c>, else the subscription's, else <c>application/octet-stream</c>.</summary>
    public string ContentType { get; internal set; }

    /// <summary>The declared length (<c>bytes</c>), else the decoded length; 0 for JSON.</summary>
    public int ByteCount { get; }

    /// <summary>The JSON text of <c>meta</c>, when the envelope carried an object.</summary>
    public string? MetadataJson { get; }

    internal string? DeclaredContentType { get; }

    private static string Utf8ToString(ReadOnlyMemory<byte> utf8) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(utf8, out var segment)
            ? Encoding.UTF8.GetString(segment.Array!, segment.Offset, segment.Count)
            : Encoding.UTF8.GetString(utf8.ToArray());

    /// <inheritdoc />
    public override string ToString() => IsBinary
        ? $"{Channel} from '{From}' at {Timestamp}: {ContentType}, {ByteCount} bytes"
        : $"{Channel} from '{From}' at {Timestamp}: {DataJson}";
}
