using System.Text;
using DataNet.Td.Protocol;

namespace DataNet.Td.Tests;

/// <summary>
/// Issue 14: the steady-state cost of one received JSON message after the transport, in bytes allocated on the
/// thread (counts, not times): decode from UTF-8, hand-off (LastValues, inbox), and Poll's dispatch to a handler.
/// </summary>
public class AllocationTests
{
    private const string Channel = "project.local.sensor";

    /// <summary>The e2e benchmark's 55-byte payload.</summary>
    private const string Data = "{\"x\":0.4821,\"y\":0.1375,\"z\":0.9903,\"rssi\":-61,\"on\":true}";

    private const int PerFrame = 167;

    [Test]
    public void AReceivedMessageCostsItsMessageObjectAndItsBytesOnly()
    {
        Assert.That(Encoding.UTF8.GetByteCount(Data), Is.EqualTo(55));
        var envelope = Encoding.UTF8.GetBytes("{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"" + Channel + "\",\"d\":" + Data + ",\"ts\":1710000000000,\"from\":\"sensor-1\"}");
        // A Poll budget no stall can exhaust: on a busy machine the default 4 ms left messages for the next Poll.
        using var client = new DataNetClient(DataNetOptions.LocalGateway(1) with { DeviceId = "allocation-test", PollMaxTime = TimeSpan.FromMinutes(1) });
        long handled = 0;
        client.Subscribe(Channel, message => handled += message.Timestamp > 0 ? 1 : 0);

        // Warm up: JIT, the reader's reused strings, the flattener's names, the inbox ring and row queue at size.
        Receive(client, envelope, frames: 20);
        const int Frames = 60;
        var before = GC.GetAllocatedBytesForCurrentThread();
        Receive(client, envelope, Frames);
        var perMessage = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / (Frames * PerFrame);

        var messageObject = SizeOfOneMessage();
        TestContext.Out.WriteLine($"{perMessage:F1} B per message (message object {messageObject} B, d {Data.Length} B)");
        Assert.Multiple(() =>
        {
            Assert.That(handled, Is.EqualTo(80 * PerFrame));
            Assert.That(client.LastValues.GetValue(Channel, "rssi", 0), Is.EqualTo(-61));
            Assert.That(perMessage, Is.LessThanOrEqualTo(200), "issue 14 target: at most 200 B per 55-byte message");
            // The message object plus d's share of an arena chunk (55 B and the chunk header's share): any other
            // object, however small (24 B on 64-bit), would push past this.
            Assert.That(perMessage, Is.LessThan(messageObject + 55 + 24), "no object beyond the message");
        });
        TestClients.AssertInvariant(client.Stats);
    }

    private static void Receive(DataNetClient client, byte[] envelope, int frames)
    {
        for (var f = 0; f < frames; f++)
        {
            for (var i = 0; i < PerFrame; i++)
            {
                client.OnServerFrame(ServerFrameReader.ReadText(envelope, 1));
            }

            client.Poll();
        }
    }

    private static long SizeOfOneMessage()
    {
        var data = new ReadOnlyMemory<byte>(new byte[4]);
        _ = new DataNetMessage("c", "f", 1, data);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = new DataNetMessage("c", "f", 1, data);
        var size = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(message);
        return size;
    }
}
