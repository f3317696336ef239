using System;
using System.Globalization;
using System.Text;
using DataNet.Td.Protocol;

namespace DataNet.Td;

public sealed partial class DataNetClient
{
    /// <summary>
    /// Publishes the JSON text of any value. Queued (in order) while offline, handshaking or rate limited.
    /// Returns false only when the outbox was full and the policy dropped this publish.
    /// </summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="json">One JSON value, e.g. <c>{"value":42}</c>, <c>42</c>, <c>"text"</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not valid JSON, or the envelope exceeds <see cref="DataNetOptions.MaxMessageBytes"/>.</exception>
    public bool Publish(string channel, string json)
    {
        ValidateChannel(channel);
        ThrowIfDisposed();
        return EnqueuePublish(ClientEnvelopes.Publish(channel, json));
    }

    /// <summary>Publishes bytes as <c>application/octet-stream</c>.</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="bytes">The payload.</param>
    public bool PublishBinary(string channel, byte[] bytes) => PublishBinary(channel, bytes, DataNetMessage.OctetStream, null);

    /// <summary>Publishes bytes with a content type and optional metadata (a JSON object, sent as <c>meta</c>).</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="bytes">The payload.</param>
    /// <param name="contentType">e.g. <c>binary/dmx</c>; empty means <c>application/octet-stream</c>.</param>
    /// <param name="metadataJson">A JSON object, or null to omit <c>meta</c>.</param>
    public bool PublishBinary(string channel, byte[] bytes, string contentType, string? metadataJson = null)
    {
        ValidateChannel(channel);
        ThrowIfDisposed();
        return EnqueuePublish(ClientEnvelopes.PublishBinary(channel, bytes, contentType, metadataJson));
    }

    /// <summary>Publishes a full 512-slot DMX frame (<see cref="Dmx.BuildFrame(double[], int)"/>) as <c>binary/dmx</c>.</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="values">Slot values, clamped to 0..255 and truncated.</param>
    public bool PublishDmx(string channel, double[] values) => PublishDmx(channel, values, Dmx.MaxLength, null);

    /// <summary>Publishes a DMX frame of <paramref name="length"/> slots as <c>binary/dmx</c>.</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="values">Slot values, clamped to 0..255 and truncated.</param>
    /// <param name="length">Frame length, clamped to 1..512.</param>
    /// <param name="metadataJson">A JSON object for <c>meta</c>, or null.</param>
    public bool PublishDmx(string channel, double[] values, int length, string? metadataJson) =>
        PublishBinary(channel, Dmx.BuildFrame(values ?? throw new ArgumentNullException(nameof(values)), length), Dmx.ContentType, metadataJson);

    /// <summary>Publishes DMX data wrapped in an ArtDMX packet (<see cref="ArtNet.BuildArtDmx"/>, even length) as <c>binary/artnet</c>.</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="dmx">DMX slots (up to 512).</param>
    /// <param name="universe">0..15. Default 0.</param>
    /// <param name="subnet">0..15. Default 0.</param>
    /// <param name="net">0..127. Default 0.</param>
    /// <param name="sequence">0..255. Default 0.</param>
    /// <param name="physical">0..255. Default 0.</param>
    public bool PublishArtNet(string channel, byte[] dmx, int universe = 0, int subnet = 0, int net = 0, int sequence = 0, int physical = 0) =>
        PublishBinary(channel, ArtNet.BuildArtDmx(dmx, universe, subnet, net, sequence, physical), ArtNet.ContentType, null);

    private bool EnqueuePublish(string envelope)
    {
        var size = Encoding.UTF8.GetByteCount(envelope);
        if (size > _options.MaxMessageBytes)
        {
            // Sending it would make the gateway close the socket (1009) and lose the queue's momentum: refuse it here.
            throw new ArgumentException(
                $"The message is {size.ToString(CultureInfo.InvariantCulture)} bytes once encoded; the limit is {_options.MaxMessageBytes.ToString(CultureInfo.InvariantCulture)} (MaxMessageBytes).");
        }

        var accepted = _outbox.Enqueue(envelope);
        _connection.Wake();
        return accepted;
    }
}
