namespace DataNet.Td;

/// <summary>A parsed ArtDMX (OpDmx) packet.</summary>
public sealed class ArtDmxPacket
{
    internal ArtDmxPacket(int protocolVersion, int sequence, int physical, int universe, int subnet, int net, byte[] data)
    {
        ProtocolVersion = protocolVersion;
        Sequence = sequence;
        Physical = physical;
        Universe = universe;
        Subnet = subnet;
        Net = net;
        Data = data;
    }

    /// <summary>Art-Net protocol version (14 for packets this SDK builds).</summary>
    public int ProtocolVersion { get; }

    /// <summary>Sequence byte (0 = sequencing disabled).</summary>
    public int Sequence { get; }

    /// <summary>Physical input port.</summary>
    public int Physical { get; }

    /// <summary>Universe, 0..15 (low nibble of SubUni).</summary>
    public int Universe { get; }

    /// <summary>Subnet, 0..15 (high nibble of SubUni).</summary>
    public int Subnet { get; }

    /// <summary>Net, 0..127.</summary>
    public int Net { get; }

    /// <summary>The 15-bit port address: <c>(Net &lt;&lt; 8) | (Subnet &lt;&lt; 4) | Universe</c>.</summary>
    public int PortAddress => (Net << 8) | (Subnet << 4) | Universe;

    /// <summary>The DMX data (the packet's declared length).</summary>
    public byte[] Data { get; }
}
