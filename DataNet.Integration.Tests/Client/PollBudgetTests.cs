using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Poll's time budget, on a clock the handlers move, so the test depends on no real duration.</summary>
public class PollBudgetTests : SharedGatewayFixture
{
    [Test]
    public async Task PollStopsAtItsTimeBudgetAndLeavesTheRestQueued()
    {
        var gateway = Gateway;
        ScriptedTransport? socket = null;
        var factory = new ScriptedTransportFactory((_, t) =>
        {
            socket = t;
            t.ServerText(ScriptedTransport.ConnectedFrame);
        });
        var clock = new VirtualTime();
        using var client = new DataNetClient(TestClients.For(gateway) with { PollMaxTime = TimeSpan.FromSeconds(1) }, factory, clock, deviceIdPath: null);
        var handled = 0;
        // Each message "takes" 0.6 s: the first leaves 0.4 s of the budget, the second overruns it.
        client.Subscribe("demo.budget", _ =>
        {
            handled++;
            clock.Advance(TimeSpan.FromMilliseconds(600));
        });
        await client.ConnectAsync();
        for (var i = 0; i < 5; i++)
        {
            socket!.ServerText("{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"demo.budget\",\"d\":" + i + ",\"ts\":1,\"from\":\"x\"}");
        }

        await Eventually.TrueAsync(() => client.Stats.InboxBacklog == 5);
        var first = client.Poll();
        Assert.That((first.Messages, first.Remaining, handled), Is.EqualTo((2, 3, 2)));
        var second = client.Poll();
        Assert.That((second.Messages, second.Remaining, handled), Is.EqualTo((2, 1, 4)));
        var third = client.Poll();
        Assert.That((third.Messages, third.Remaining, handled), Is.EqualTo((1, 0, 5)));
        Assert.That(client.Stats.Dispatched, Is.EqualTo(5));
    }
}
