using System.Globalization;
using DataNet.Td;

namespace DataNet.Cli.Pub;

/// <summary>
/// An ArtDMX packet (<c>binary/artnet</c>) around a DMX frame. The sequence counts 1..255 and wraps,
/// as Art-Net receivers expect (0 would switch their reordering off).
/// </summary>
internal sealed class ArtNetPayload(double[] values, int length, ArtNetAddress address, string? metadataJson) : IPayload
{
    private readonly byte[] _frame = Dmx.BuildFrame(values, length);

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"Art-Net, {length} channels, net {address.Net} subnet {address.Subnet} universe {address.Universe}");

    public bool Publish(DataNetClient client, string channel, long index) => client.PublishBinary(
        channel,
        ArtNet.BuildArtDmx(_frame, address.Universe, address.Subnet, address.Net, sequence: (int)(index % 255) + 1, address.Physical),
        ArtNet.ContentType,
        metadataJson);
}

/// <summary>Where an ArtDMX packet goes: net 0..127, subnet 0..15, universe 0..15, physical port 0..255.</summary>
internal sealed record ArtNetAddress(int Universe, int Subnet, int Net, int Physical);
