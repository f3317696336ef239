using System;
using DataNet.Td.Values;

namespace DataNet.Td;

/// <summary>A message received on a channel, handed to handlers inside <c>Poll</c>.</summary>
public sealed class DataNetMessage
{
    /// <summary>The content type reported for JSON messages.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The content type used when neither the envelope nor the subscription names one.</summary>
    public const string OctetStream = "application/octet-stream";

    internal DataNetMessage(string channel, string from, long timestamp, string dataJson, NumericField[] fields)
    {
        Channel = channel;
        From = from;
        Timestamp = timestamp;
        DataJson = dataJson;
        ContentType = JsonContentType;
        Fields = fields;
    }

    internal DataNetMessage(string channel, string from, long timestamp, byte[] bytes, string? contentType, int byteCount, string? metadataJson, bool isRaw)
    {
        Channel = channel;
        From = from;
        Timestamp = timestamp;
        DataJson = "null";
        IsBinary = true;
        IsRaw = isRaw;
        Bytes = bytes;
        DeclaredContentType = contentType;
        ContentType = contentType ?? OctetStream;
        ByteCount = byteCount;
        MetadataJson = metadataJson;
        Fields = Array.Empty<NumericField>();
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

    /// <summary>The JSON text of <c>d</c>; <c>"null"</c> for binary messages.</summary>
    public string DataJson { get; }

    /// <summary>The decoded bytes of a binary message; null for JSON. Shared by every handler: treat as read-only.</summary>
    public byte[]? Bytes { get; }

    /// <summary><c>application/json</c> for JSON; for binary, <c>ct</c>, else the subscription's, else <c>application/octet-stream</c>.</summary>
    public string ContentType { get; internal set; }

    /// <summary>The declared length (<c>bytes</c>), else the decoded length; 0 for JSON.</summary>
    public int ByteCount { get; }

    /// <summary>The JSON text of <c>meta</c>, when the envelope carried an object.</summary>
    public string? MetadataJson { get; }

    internal string? DeclaredContentType { get; }

    internal NumericField[] Fields { get; }

    /// <inheritdoc />
    public override string ToString() => IsBinary
        ? $"{Channel} from '{From}' at {Timestamp}: {ContentType}, {ByteCount} bytes"
        : $"{Channel} from '{From}' at {Timestamp}: {DataJson}";
}
