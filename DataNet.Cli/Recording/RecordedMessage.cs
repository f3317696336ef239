using System;
using DataNet.Cli.Pub;
using DataNet.Td;

namespace DataNet.Cli.Recording;

/// <summary>
/// One message line of a recording, as it arrived: its offset from the start of the recording (monotonic clock,
/// milliseconds), channel, sender and server timestamp when present, and the payload as on the wire: the JSON of
/// <c>d</c>, or for binary the bytes (base64 in the file) with content type and metadata.
/// </summary>
internal sealed record RecordedMessage(double OffsetMs, string Channel, string? From, long? Timestamp, string? DataJson, byte[]? Bytes, string? ContentType, string? MetadataJson)
    : IPayload
{
    public bool IsBinary => Bytes is not null;

    /// <summary>What a subscriber received, with its arrival offset.</summary>
    public static RecordedMessage Received(DataNetMessage message, TimeSpan offset) => message.IsBinary
        ? new(offset.TotalMilliseconds, message.Channel, NullIfEmpty(message.From), message.Timestamp, null, message.Bytes ?? [], message.ContentType, message.MetadataJson)
        : new(offset.TotalMilliseconds, message.Channel, NullIfEmpty(message.From), message.Timestamp, message.DataJson, null, null, null);

    public string Describe() => IsBinary ? "binary" : "JSON";

    /// <summary>Publishes the payload as recorded on <paramref name="channel"/>; false when the client dropped it.</summary>
    public bool Publish(DataNetClient client, string channel, long index) => Bytes is { } bytes
        ? client.PublishBinary(channel, bytes, ContentType ?? DataNetMessage.OctetStream, MetadataJson)
        : client.Publish(channel, DataJson ?? "null");

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
