using System.Globalization;
using DataNet.Td;

namespace DataNet.Cli.Pub;

/// <summary>A DMX frame (<c>binary/dmx</c>): values clamped to 0..255, unset channels zero.</summary>
internal sealed class DmxPayload(double[] values, int length, string? metadataJson) : IPayload
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"DMX, {length} channels");

    public bool Publish(DataNetClient client, string channel, long index) =>
        client.PublishDmx(channel, values, length, metadataJson);
}
