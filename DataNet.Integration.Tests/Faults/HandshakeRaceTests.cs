using System.Linq;
using System.Net.WebSockets;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Errors and closes racing around the handshake; tokens a restarted gateway no longer knows.</summary>
public class HandshakeRaceTests
{
    private const string DeviceLimit = "{\"type\":\"error\",\"error\":\"device_limit_reached\",\"limit\":1}";

    [Test]
    public async Task DeviceLimitStaysFatalWhenTheSocketFailsRightAfterIt()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var factory = new ScriptedTransportFactory((_, t) =>
        {
            // The error frame arrives, then the close wins the race and the open itself fails.
            t.ServerText(DeviceLimit);
            throw new WebSocketException("The remote party closed the WebSocket connection without completing the close handshake.");
        });
        var policy = new FixedRetryPolicy(TestClients.FastRetry);
        using var client = new DataNetClient(TestClients.For(gateway) with { RetryPolicy = policy }, factory, TimeProvider.System, deviceIdPath: null);
        var recorder = new Recorder(client);

        var error = Assert.ThrowsAsync<DataNetException>(() => client.ConnectAsync());
        Assert.That(error!.Error.Code, Is.EqualTo(ErrorCodes.DeviceLimitReached));
        await Eventually.TrueAsync(() => client.State == ConnectionState.Failed);
        Assert.That(client.Stats.ConnectAttempts, Is.EqualTo(1));
        Assert.That(policy.Calls, Is.Zero, "never retried");
    }

    [Test]
    public async Task DeviceLimitStaysFatalWhenTheCloseIsHandledFirst()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var factory = new ScriptedTransportFactory((_, t) =>
        {
            t.ServerClose("the gateway closed the connection (close 1008: device limit reached)");
            t.ServerText(DeviceLimit);
        });
        var policy = new FixedRetryPolicy(TestClients.FastRetry);
        using var client = new DataNetClient(TestClients.For(gateway) with { RetryPolicy = policy }, factory, TimeProvider.System, deviceIdPath: null);

        var error = Assert.ThrowsAsync<DataNetException>(() => client.ConnectAsync());
        Assert.That(error!.Error.Code, Is.EqualTo(ErrorCodes.DeviceLimitReached));
        Assert.That(policy.Calls, Is.Zero);
    }

    [Test]
    public async Task AnUpgradeRefusingTheCachedTokenFetchesANewOneAtOnceWithoutABackoffStep()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        string? firstToken = null;
        var factory = new ScriptedTransportFactory((attempt, t) =>
        {
            firstToken ??= t.Token;
            if (attempt > 1 && t.Token == firstToken)
            {
                // A restarted gateway (new signing key) refuses the token its previous run issued.
                throw new WebSocketException("The server returned status code '401' when status code '101' was expected.");
            }

            t.ServerText(ScriptedTransport.ConnectedFrame);
        });
        var policy = new FixedRetryPolicy(TestClients.FastRetry);
        using var client = new DataNetClient(TestClients.For(gateway) with { RetryPolicy = policy }, factory, TimeProvider.System, deviceIdPath: null);
        var recorder = new Recorder(client);
        await client.ConnectAsync();

        factory.Created[0].ServerClose("gateway killed");
        await Eventually.TrueAsync(() => client.Stats.Reconnects == 1, recorder.Pump);

        Assert.That(policy.Calls, Is.EqualTo(1), "one backoff step for the lost connection, none for the refused token");
        Assert.That(client.Stats.TokenRequests, Is.EqualTo(2));
        Assert.That(client.Stats.ConnectAttempts, Is.EqualTo(2), "the fresh token is tried within the same attempt");
        Assert.That(recorder.ErrorCount(ErrorCodes.ConnectionFailed), Is.Zero);
        Assert.That(factory.Created[^1].Token, Is.Not.EqualTo(firstToken));
    }
}
