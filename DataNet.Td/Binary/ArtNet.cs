using System;
using System.Diagnostics.CodeAnalysis;

namespace DataNet.Td;

/// <summary>
/// ArtDMX packets (Art-Net OpDmx), byte-identical to the sibling SDKs' <c>buildArtDmxPacket</c>: bytes 0..6 "Art-Net",
/// 7 zero, 8..9 OpDmx little-endian (0x00 0x50), 10..11 protocol 14, 12 sequence, 13 physical,
/// 14 <c>(subnet&lt;&lt;4)|universe</c>, 15 <c>net &amp; 0x7F</c>, 16..17 length big-endian, 18.. data.
/// </summary>
public static class ArtNet
{
    /// <summary>Content type of an ArtDMX packet.</summary>
    public const string ContentType = "binary/artnet";

    /// <summary>Bytes before the DMX data.</summary>
    public const int HeaderLength = 18;

    private static readonly byte[] Id = { (byte)'A', (byte)'r', (byte)'t', (byte)'-', (byte)'N', (byte)'e', (byte)'t', 0 };

    /// <summary>
    /// Builds an ArtDMX packet. Data longer than 512 bytes is truncated; empty data becomes two zero slots.
    /// With <paramref name="padToEven"/> (the default) an odd length is rounded up with a zero slot, as Art-Net 4
    /// requires and Arduino 0.2.0 does; pass false for the JS/Python behaviour, which keeps odd lengths
    /// (protocol.md's <c>[1,2,3]</c> vector, length byte <c>[17]=3</c>).
    /// </summary>
    /// <param name="dmx">DMX slots.</param>
    /// <param name="universe">0..15. Default 0.</param>
    /// <param name="subnet">0..15. Default 0.</param>
    /// <param name="net">0..127. Default 0.</param>
    /// <param name="sequence">0..255 (0 disables sequencing). Default 0.</param>
    /// <param name="physical">0..255. Default 0.</param>
    /// <param name="padToEven">Round odd lengths up to even. Default true.</param>
    public static byte[] BuildArtDmx(byte[] dmx, int universe = 0, int subnet = 0, int net = 0, int sequence = 0, int physical = 0, bool padToEven = true)
    {
        if (dmx is null)
        {
            throw new ArgumentNullException(nameof(dmx));
        }

        Range(universe, 15, nameof(universe));
        Range(subnet, 15, nameof(subnet));
        Range(net, 127, nameof(net));
        Range(sequence, 255, nameof(sequence));
        Range(physical, 255, nameof(physical));

        var dataLength = Math.Min(dmx.Length, Dmx.MaxLength);
        var length = dataLength;
        if (length == 0)
        {
            length = 2;
        }
        else if (padToEven && length % 2 == 1)
        {
            length++;
        }

        var packet = new byte[HeaderLength + length];
        Buffer.BlockCopy(Id, 0, packet, 0, Id.Length);
        packet[8] = 0x00;
        packet[9] = 0x50;
        packet[10] = 0;
        packet[11] = 14;
        packet[12] = (byte)sequence;
        packet[13] = (byte)physical;
        packet[14] = (byte)((subnet << 4) | universe);
        packet[15] = (byte)(net & 0x7F);
        packet[16] = (byte)(length >> 8);
        packet[17] = (byte)(length & 0xFF);
        Buffer.BlockCopy(dmx, 0, packet, HeaderLength, dataLength);
        return packet;
    }

    /// <summary>Parses an ArtDMX packet; false for anything that is not a complete, well-formed OpDmx packet.</summary>
    /// <param name="packet">The bytes.</param>
    /// <param name="result">The parsed packet, or null.</param>
    public static bool TryParseArtDmx(byte[] packet, [NotNullWhen(true)] out ArtDmxPacket? result)
    {
        result = null;
        if (packet is null || packet.Length < HeaderLength)
        {
            return false;
        }

        for (var i = 0; i < Id.Length; i++)
        {
            if (packet[i] != Id[i])
            {
                return false;
            }
        }

        if (packet[8] != 0x00 || packet[9] != 0x50)
        {
            return false;
        }

        var version = (packet[10] << 8) | packet[11];
        var length = (packet[16] << 8) | packet[17];
        if (version < 14 || length < 1 || length > Dmx.MaxLength || packet.Length < HeaderLength + length)
        {
            return false;
        }

        var data = new byte[length];
        Buffer.BlockCopy(packet, HeaderLength, data, 0, length);
        result = new ArtDmxPacket(version, packet[12], packet[13], packet[14] & 0x0F, packet[14] >> 4, packet[15] & 0x7F, data);
        return true;
    }

    private static void Range(int value, int max, string name)
    {
        if (value < 0 || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 0 and {max}.");
        }
    }
}
