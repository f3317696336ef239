using System.Collections.Generic;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

public class PresenceTests : SharedGatewayFixture
{
    private const string Room = "project.local.room";

    [Test]
    public async Task RestPresenceAndSubAckOccupancy()
    {
        var gateway = Gateway;
        using var one = new DataNetClient(TestClients.For(gateway, "one"));
        using var two = new DataNetClient(TestClients.For(gateway, "two"));
        var recorder = new Recorder(two);
        Assert.That(two.GetOccupancy(Room), Is.EqualTo(-1), "unknown before sub_ack");
        one.Subscribe(Room);
        await one.ConnectAsync();
        await Eventually.TrueAsync(() => one.GetOccupancy(Room) == 1, because: "sub_ack occupancy");
        two.Subscribe(Room);
        await two.ConnectAsync();
        await Eventually.TrueAsync(() => two.GetOccupancy(Room) == 2);

        var presence = await two.GetPresenceAsync(Room);
        Assert.That(presence.Channel, Is.EqualTo(Room));
        Assert.That(presence.Occupancy, Is.EqualTo(2));
        Assert.That(presence.Members, Has.Length.EqualTo(2));

        two.GetPresence(Room);
        await Eventually.TrueAsync(() => recorder.Presence.Count == 1, recorder.Pump);
        Assert.That(recorder.Presence[0].Occupancy, Is.EqualTo(2));
        Assert.That(recorder.Errors, Is.Empty);
    }

    [Test]
    public async Task PresenceBeforeConnectIsNotConnected()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        var error = Assert.ThrowsAsync<DataNetException>(() => client.GetPresenceAsync(Room));
        Assert.That(error!.Error.Code, Is.EqualTo("not_connected"));

        client.GetPresence(Room);
        await Eventually.TrueAsync(() => recorder.Errors.Count == 1, recorder.Pump);
        Assert.That(recorder.Errors[0].Code, Is.EqualTo("not_connected"));
    }

    [Test]
    public async Task PresenceWithoutTheScopeIsForbidden()
    {
        var config = new GatewayConfig
        {
            Keys = new Dictionary<string, ApiKeyConfig> { ["ak_nopresence"] = new() { Scopes = new[] { "pub", "sub" } } },
        };
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, Config = config });
        using var client = new DataNetClient(TestClients.For(gateway, apiKey: "ak_nopresence"));
        await client.ConnectAsync();
        var error = Assert.ThrowsAsync<DataNetException>(() => client.GetPresenceAsync(Room));
        Assert.That(error!.Error.Code, Is.EqualTo("presence_forbidden"));
        Assert.That(error.Error.Status, Is.EqualTo(403));
        Assert.That(error.Message, Does.Not.Contain("ak_nopresence"));
    }
}
