namespace DataNet.Td.Tests;

/// <summary>protocol.md section 8: DMX and ArtDMX vectors, shared with the JS, Python and Arduino test suites.</summary>
public class BinaryHelperTests
{
    [Test]
    public void DmxFrameClampsTruncatesAndZeroFills()
    {
        Assert.That(Dmx.BuildFrame(new[] { 255, 300, -1, 12.8 }, 6), Is.EqualTo(new byte[] { 255, 255, 0, 12, 0, 0 }));
    }

    [Test]
    public void DmxFrameDefaultsTo512AndClampsTheLength()
    {
        Assert.That(Dmx.BuildFrame(new double[] { 1 }), Has.Length.EqualTo(512));
        Assert.That(Dmx.BuildFrame(new double[] { 1 }, 0), Is.EqualTo(new byte[] { 1 }));
        Assert.That(Dmx.BuildFrame(new double[] { 1 }, 9999), Has.Length.EqualTo(512));
        Assert.That(Dmx.BuildFrame(new double[] { 1, 2, 3 }, 2), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(Dmx.BuildFrame(new[] { double.NaN, 254.999 }, 2), Is.EqualTo(new byte[] { 0, 254 }));
    }

    [Test]
    public void DmxPublishVector()
    {
        Assert.That(Convert.ToBase64String(Dmx.BuildFrame(new double[] { 255, 0 }, 2)), Is.EqualTo("/wA="));
    }

    [Test]
    public void ArtDmxVectorFromProtocolMdWithOddLengthKept()
    {
        var packet = ArtNet.BuildArtDmx(new byte[] { 1, 2, 3 }, universe: 2, subnet: 1, net: 3, sequence: 9, padToEven: false);
        Assert.That(packet, Is.EqualTo(new byte[]
        {
            (byte)'A', (byte)'r', (byte)'t', (byte)'-', (byte)'N', (byte)'e', (byte)'t', 0,
            0x00, 0x50, 0, 14, 9, 0, 0x12, 3, 0, 3, 1, 2, 3,
        }));
    }

    [Test]
    public void ArtDmxPadsOddLengthsByDefault()
    {
        var packet = ArtNet.BuildArtDmx(new byte[] { 1, 2, 3 }, universe: 2, subnet: 1, net: 3, sequence: 9);
        Assert.That(packet[16], Is.EqualTo(0));
        Assert.That(packet[17], Is.EqualTo(4));
        Assert.That(packet[18..], Is.EqualTo(new byte[] { 1, 2, 3, 0 }));
    }

    [Test]
    public void ArtDmxHeaderMatchesTheArduinoVector()
    {
        var packet = ArtNet.BuildArtDmx(new byte[512], universe: 3, subnet: 2, net: 1, sequence: 7, physical: 5);
        Assert.Multiple(() =>
        {
            Assert.That(packet[12], Is.EqualTo(7));
            Assert.That(packet[13], Is.EqualTo(5));
            Assert.That(packet[14], Is.EqualTo(0x23));
            Assert.That(packet[15], Is.EqualTo(1));
            Assert.That(packet[16], Is.EqualTo(2));
            Assert.That(packet[17], Is.EqualTo(0));
            Assert.That(packet, Has.Length.EqualTo(18 + 512));
        });
    }

    [Test]
    public void ArtDmxRoundTrips()
    {
        var packet = ArtNet.BuildArtDmx(new byte[] { 10, 20 }, universe: 4, subnet: 5, net: 100, sequence: 200, physical: 1);
        Assert.That(ArtNet.TryParseArtDmx(packet, out var parsed), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(parsed!.Data, Is.EqualTo(new byte[] { 10, 20 }));
            Assert.That(parsed.Universe, Is.EqualTo(4));
            Assert.That(parsed.Subnet, Is.EqualTo(5));
            Assert.That(parsed.Net, Is.EqualTo(100));
            Assert.That(parsed.Sequence, Is.EqualTo(200));
            Assert.That(parsed.Physical, Is.EqualTo(1));
            Assert.That(parsed.ProtocolVersion, Is.EqualTo(14));
            Assert.That(parsed.PortAddress, Is.EqualTo((100 << 8) | 0x54));
        });
    }

    [Test]
    public void ArtDmxParserRejectsForeignPackets()
    {
        var good = ArtNet.BuildArtDmx(new byte[] { 1, 2 });
        Assert.That(ArtNet.TryParseArtDmx(Array.Empty<byte>(), out _), Is.False);
        Assert.That(ArtNet.TryParseArtDmx(good[..17], out _), Is.False);
        Assert.That(ArtNet.TryParseArtDmx(good[..19], out _), Is.False, "truncated data");
        var wrongId = (byte[])good.Clone();
        wrongId[0] = (byte)'X';
        Assert.That(ArtNet.TryParseArtDmx(wrongId, out _), Is.False);
        var wrongOp = (byte[])good.Clone();
        wrongOp[9] = 0x20;
        Assert.That(ArtNet.TryParseArtDmx(wrongOp, out _), Is.False);
        Assert.That(ArtNet.TryParseArtDmx(null!, out var none), Is.False);
        Assert.That(none, Is.Null);
    }

    [Test]
    public void ArtDmxRejectsOutOfRangeAddresses()
    {
        Assert.That(() => ArtNet.BuildArtDmx(new byte[] { 1 }, universe: 16), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => ArtNet.BuildArtDmx(new byte[] { 1 }, net: 128), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(ArtNet.BuildArtDmx(new byte[600], padToEven: false)[16..18], Is.EqualTo(new byte[] { 2, 0 }), "truncated to 512");
    }
}
