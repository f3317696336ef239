using System.Linq;
using System.Text;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>Test aids for client tests: the recorded client frames and in-process occupancy.</summary>
[TestFixture]
public sealed class ObservationTests : GatewayTestBase
{
    private static readonly string[] ExpectedTexts = ["""{"op":"sub","ch":"a"}""", """{"op":"hb"}"""];
    private static readonly bool[] ExpectedBinary = [false, true];

    protected override GatewayOptions Configure(GatewayOptions options) => options with { RecordClientFrames = true };

    [Test]
    public async Task EveryHandledClientFrameIsRecordedInOrderWithItsSender()
    {
        using var socket = await ConnectAsync("device-1");
        await socket.RequestAsync("""{"op":"sub","ch":"a"}""");
        await socket.SendBinaryAsync(Encoding.UTF8.GetBytes("""{"op":"hb"}"""));
        await socket.ReceiveTextAsync();

        var frames = Gateway.ClientFrames;
        Assert.That(frames.Select(f => f.Text), Is.EqualTo(ExpectedTexts));
        Assert.That(frames.Select(f => f.IsBinary), Is.EqualTo(ExpectedBinary));
        Assert.That(frames.All(f => f.DeviceId == "device-1" && f.ConnId.StartsWith("conn_", System.StringComparison.Ordinal)), Is.True);

        Gateway.ClearClientFrames();
        Assert.That(Gateway.ClientFrames, Is.Empty);
    }

    [Test]
    public async Task OccupancyFollowsSubscriptions()
    {
        Assert.That(Gateway.GetOccupancy("a"), Is.Zero);
        var socket = await SubscribedAsync("a");
        Assert.That(Gateway.GetOccupancy("a"), Is.EqualTo(1));
        Assert.That(Gateway.GetOccupancy("a", projectId: "elsewhere"), Is.Zero);
        socket.Dispose();
        await Eventually.TrueAsync(() => Gateway.GetOccupancy("a") == 0);
    }
}

/// <summary>Recording is off unless asked for.</summary>
[TestFixture]
public sealed class NoRecordingByDefaultTests : GatewayTestBase
{
    [Test]
    public async Task NothingIsRecordedByDefault()
    {
        using var socket = await ConnectAsync();
        await socket.RequestAsync("""{"op":"hb"}""");
        Assert.That(Gateway.ClientFrames, Is.Empty);
    }
}
