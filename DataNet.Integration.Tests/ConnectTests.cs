using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

public class ConnectTests : SharedGatewayFixture
{
    [Test]
    public async Task ConnectsReportsAndDisposesCleanly()
    {
        var gateway = Gateway;
        var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));
        Assert.That(client.Status, Is.EqualTo("Disconnected"));

        await client.ConnectAsync();
        Assert.That(client.State, Is.EqualTo(ConnectionState.Connected));
        Assert.That(client.Status, Is.EqualTo("Connected"));
        await Eventually.TrueAsync(() => recorder.Connected == 1, recorder.Pump);
        Assert.That(recorder.States, Is.EqualTo(new[]
        {
            (ConnectionState.Connecting, ConnectionState.Disconnected),
            (ConnectionState.Connected, ConnectionState.Connecting),
        }));
        Assert.That(gateway.ConnectionCount, Is.EqualTo(1));

        var stats = client.Stats;
        Assert.Multiple(() =>
        {
            Assert.That(stats.ConnectAttempts, Is.EqualTo(1));
            Assert.That(stats.TokenRequests, Is.EqualTo(1));
            Assert.That(stats.Reconnects, Is.Zero);
            Assert.That(stats.LastError, Is.Empty);
            Assert.That(recorder.Errors, Is.Empty);
        });

        client.Connect();
        await client.ConnectAsync();
        Assert.That(client.Stats.ConnectAttempts, Is.EqualTo(1), "Connect is idempotent");

        client.Dispose();
        client.Dispose();
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));
        await Eventually.TrueAsync(() => gateway.ConnectionCount == 0, because: "no socket left after Dispose");
        Assert.That(client.Poll(), Is.EqualTo(default(PollResult)));
        Assert.That(() => client.Publish("c", "1"), Throws.TypeOf<ObjectDisposedException>());
    }
}
