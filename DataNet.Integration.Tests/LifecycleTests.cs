using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Dispose and Disconnect at awkward moments leave nothing behind.</summary>
public class LifecycleTests
{
    [Test]
    public async Task DisposeDuringAHangingAuthReturnsAndLeavesNothing()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        gateway.Faults.HangAuth();
        var client = new DataNetClient(TestClients.For(gateway) with { RequestTimeout = TimeSpan.FromSeconds(30) });
        var pending = client.ConnectAsync();
        await Eventually.TrueAsync(() => client.Stats.TokenRequests == 1);
        client.Dispose();
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));
        Assert.That(async () => await pending, Throws.TypeOf<ObjectDisposedException>());
        // Release the hung request, then connect another client: the gateway now serves, and the disposed one
        // (whose loop ended inside Dispose) has not come back with a socket or another attempt.
        gateway.Faults.ResetAuth();
        using (var other = new DataNetClient(TestClients.For(gateway, "other")))
        {
            await other.ConnectAsync();
            Assert.That(gateway.ConnectionCount, Is.EqualTo(1));
        }

        Assert.That(client.Stats.ConnectAttempts, Is.EqualTo(1));
        Assert.That(client.Stats.TokenRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task DisposeWhileConnectedOrReconnecting()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var connected = new DataNetClient(TestClients.For(gateway, "a"));
        await connected.ConnectAsync();
        var retrying = new DataNetClient(TestClients.For(gateway, "b") with { ApiUrl = "http://127.0.0.1:1", RequestTimeout = TimeSpan.FromMilliseconds(500) });
        retrying.Connect();
        await Eventually.TrueAsync(() => retrying.Stats.ConnectAttempts >= 2);
        Assert.That(gateway.ConnectionCount, Is.EqualTo(1));

        connected.Dispose();
        retrying.Dispose();
        await Eventually.TrueAsync(() => gateway.ConnectionCount == 0);
        var attempts = retrying.Stats.ConnectAttempts;
        Assert.That(retrying.State, Is.EqualTo(ConnectionState.Disconnected));
        Assert.That(connected.State, Is.EqualTo(ConnectionState.Disconnected));
        // The loop has ended: Connect after Dispose is refused rather than silently restarting.
        Assert.That(() => retrying.Connect(), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(retrying.Stats.ConnectAttempts, Is.EqualTo(attempts));
    }

    [Test]
    public async Task DisconnectCancelsAPendingConnectAsync()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        gateway.Faults.HangAuth();
        using var client = new DataNetClient(TestClients.For(gateway) with { RequestTimeout = TimeSpan.FromSeconds(30) });
        var pending = client.ConnectAsync();
        await Eventually.TrueAsync(() => client.Stats.TokenRequests == 1);
        client.Disconnect();
        Assert.That(async () => await pending, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));
        gateway.Faults.ResetAuth();
    }

    [Test]
    public void OptionsAreValidated()
    {
        Assert.That(() => new DataNetClient(new DataNetOptions { WsUrl = "http://x" }), Throws.ArgumentException);
        Assert.That(() => new DataNetClient(new DataNetOptions { ApiUrl = "ftp://x" }), Throws.ArgumentException);
        Assert.That(() => new DataNetClient(new DataNetOptions { InboxCapacity = 0 }), Throws.ArgumentException);
        Assert.That(() => new DataNetClient(new DataNetOptions { HeartbeatInterval = TimeSpan.Zero }), Throws.ArgumentException);
        using var client = new DataNetClient(new DataNetOptions { ApiKey = "ak_x" });
        Assert.That(() => client.Subscribe(" "), Throws.ArgumentException);
        Assert.That(() => client.Subscribe("c", null!), Throws.ArgumentNullException);
    }
}
