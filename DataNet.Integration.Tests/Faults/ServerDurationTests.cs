using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Durations a server supplies are capped, and do not outlive the connection that sent them.</summary>
public class ServerDurationTests
{
    [Test]
    public async Task AHugeRetryMsIsCappedAndANewConnectionEndsThePause()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var factory = new ScriptedTransportFactory((_, t) => t.ServerText(ScriptedTransport.ConnectedFrame));
        using var client = new DataNetClient(TestClients.For(gateway), factory, TimeProvider.System, deviceIdPath: null);
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        var first = factory.Created.Single();

        first.ServerText("{\"type\":\"error\",\"error\":\"rate_limited\",\"retry_ms\":2147483647,\"scope\":\"connection\"}");
        await Eventually.TrueAsync(() => recorder.ErrorCount("rate_limited") == 1, recorder.Pump);
        var error = recorder.Errors.Single(e => e.Code == "rate_limited");
        Assert.That(error.RetryMs, Is.EqualTo(5 * 60 * 1000), "capped at five minutes");
        Assert.That(error.Message, Does.Contain("300000 ms"));
        Assert.That(client.Status, Does.Contain("rate limited"));

        client.Publish("demo", "1");
        first.ServerClose("gateway restarted");
        await Eventually.TrueAsync(() => factory.Created.Count == 2 && client.State == ConnectionState.Connected);
        var second = factory.Created[1];
        await Eventually.TrueAsync(() => second.Sent.Contains("{\"op\":\"pub\",\"ch\":\"demo\",\"d\":1}"),
            because: "the new connection is not paused by the old one's rate limit");
        Assert.That(client.Status, Is.EqualTo("Connected"));
    }
}
