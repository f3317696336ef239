using System.Collections.Generic;
using System.Net.WebSockets;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>Every error code of protocol.md section 5, byte for byte, and what stays delivered afterwards.</summary>
[TestFixture]
public sealed class ErrorEnvelopeTests : GatewayTestBase
{
    protected override GatewayOptions Configure(GatewayOptions options) => options with
    {
        Config = new GatewayConfig
        {
            Keys = new Dictionary<string, ApiKeyConfig>
            {
                ["ak_subonly"] = new() { Scopes = ["sub"] },
                ["ak_pubonly"] = new() { Scopes = ["pub"] },
                ["ak_prefixed"] = new() { ChannelPrefixes = ["project.local.allowed."] },
                ["ak_prov"] = new() { Project = "prov" },
                ["ak_rate"] = new() { Project = "rate" },
                ["ak_devices"] = new() { Project = "devices" },
            },
            Projects = new Dictionary<string, ProjectConfig>
            {
                ["prov"] = new() { Channels = ["project.prov.a", "project.prov.b", "project.prov.c"], TopicLimit = 2 },
                ["rate"] = new() { MessagesPerSecond = 3 },
                ["devices"] = new() { DeviceLimit = 2 },
            },
        },
    };

    [Test]
    public async Task PublishWithoutPubScopeIsInsufficientScopeRequiredPub()
    {
        using var socket = await ConnectAsync(apiKey: "ak_subonly");
        Assert.That(await socket.RequestAsync("""{"op":"pub","ch":"project.local.x","d":1}"""),
            Is.EqualTo("""{"type":"error","error":"insufficient_scope","required":"pub"}"""));
    }

    [Test]
    public async Task SubscribeWithoutSubScopeIsInsufficientScopeRequiredSub()
    {
        using var socket = await ConnectAsync(apiKey: "ak_pubonly");
        Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.local.x"}"""),
            Is.EqualTo("""{"type":"error","error":"insufficient_scope","required":"sub"}"""));
    }

    [Test]
    public async Task AChannelOutsideTheTokenPrefixesIsNotAllowed()
    {
        using var socket = await ConnectAsync(apiKey: "ak_prefixed");
        Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.local.secret"}"""),
            Is.EqualTo("""{"type":"error","error":"channel_not_allowed","channel":"project.local.secret","operation":"sub"}"""));
        Assert.That(await socket.RequestAsync("""{"op":"pub","ch":"project.local.secret","d":1}"""),
            Is.EqualTo("""{"type":"error","error":"channel_not_allowed","channel":"project.local.secret","operation":"pub"}"""));
        Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.local.allowed.one"}"""),
            Is.EqualTo("""{"type":"sub_ack","op":"hereNow","ch":"project.local.allowed.one","occupancy":1}"""));
    }

    [Test]
    public async Task AChannelThatIsNotProvisionedIsRefused()
    {
        using var socket = await ConnectAsync(apiKey: "ak_prov");
        Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.prov.zzz"}"""),
            Is.EqualTo("""{"type":"error","error":"channel_not_provisioned","channel":"project.prov.zzz","operation":"sub"}"""));
        Assert.That(await socket.RequestAsync("""{"op":"pub","ch":"project.prov.zzz","d":1}"""),
            Is.EqualTo("""{"type":"error","error":"channel_not_provisioned","channel":"project.prov.zzz","operation":"pub"}"""));
    }

    [Test]
    public async Task AChannelOverThePlanCapIsTopicLimitReached()
    {
        using var socket = await ConnectAsync(apiKey: "ak_prov");
        Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.prov.a"}"""), Does.StartWith("{\"type\":\"sub_ack\""));
        Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.prov.b"}"""), Does.StartWith("{\"type\":\"sub_ack\""));
        Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.prov.c"}"""),
            Is.EqualTo("""{"type":"error","error":"topic_limit_reached","channel":"project.prov.c","operation":"sub","limit":2}"""));
        Assert.That(await socket.RequestAsync("""{"op":"pub","ch":"project.prov.c","d":1}"""),
            Is.EqualTo("""{"type":"error","error":"topic_limit_reached","channel":"project.prov.c","operation":"pub","limit":2}"""));
        Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.prov.a"}"""), Does.StartWith("{\"type\":\"sub_ack\""),
            "channels already in use stay usable");
    }

    [Test]
    public async Task PublishingOverTheConnectionBudgetIsRateLimitedWithRetryMs()
    {
        using var socket = await SubscribedAsync("project.rate.x", apiKey: "ak_rate");
        for (var i = 0; i < 3; i++)
        {
            Assert.That(await socket.RequestAsync($$"""{"op":"pub","ch":"project.rate.x","d":{{i}}}"""), Does.StartWith("{\"type\":\"message\""));
        }
        Assert.That(await socket.RequestAsync("""{"op":"pub","ch":"project.rate.x","d":3}"""),
            Is.EqualTo("""{"type":"error","error":"rate_limited","channel":"project.rate.x","retry_ms":1000,"scope":"connection"}"""),
            "the rejected message is not delivered: its echo would come instead");
        Clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.That(await socket.RequestAsync("""{"op":"pub","ch":"project.rate.x","d":4}"""), Does.Contain("\"retry_ms\":600,"));
        Clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.That(await socket.RequestAsync("""{"op":"pub","ch":"project.rate.x","d":5}"""), Does.Contain("\"d\":5,"), "a new window opened");
    }

    [Test]
    public async Task TheRateBudgetIsPerConnection()
    {
        using var busy = await ConnectAsync("device-1", "ak_rate");
        for (var i = 0; i < 3; i++)
        {
            await busy.SendTextAsync("""{"op":"pub","ch":"project.rate.x","d":0}""");
        }
        Assert.That(await busy.RequestAsync("""{"op":"pub","ch":"project.rate.x","d":0}"""), Does.Contain("rate_limited"));
        using var other = await SubscribedAsync("project.rate.x", "device-2", "ak_rate");
        Assert.That(await other.RequestAsync("""{"op":"pub","ch":"project.rate.x","d":9}"""), Does.Contain("\"d\":9,"));
    }

    [Test]
    public async Task OverTheDeviceLimitTheErrorComesBeforeTheHandshakeThenClose()
    {
        using var a = await ConnectAsync("device-a", "ak_devices");
        using var b = await ConnectAsync("device-b", "ak_devices");
        using var c = await RawSocket.OpenAsync(Gateway.WsUrl, "bearer", Gateway.IssueToken("ak_devices", "device-c"));
        Assert.That(await c.ReceiveTextAsync(), Is.EqualTo("""{"type":"error","error":"device_limit_reached","limit":2}"""));
        var close = await c.ReceiveAsync();
        Assert.That(close.Type, Is.EqualTo(WebSocketMessageType.Close));
        Assert.That(close.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
    }

    [Test]
    public async Task AConnectionWithoutDeviceIdCountsAsADevice()
    {
        using var a = await ConnectAsync("device-a", "ak_devices");
        using var anonymous = await ConnectAsync(null, "ak_devices");
        using var c = await RawSocket.OpenAsync(Gateway.WsUrl, "bearer", Gateway.IssueToken("ak_devices", "device-c"));
        Assert.That(await c.ReceiveTextAsync(), Does.Contain("device_limit_reached"));
    }

    [Test]
    public async Task AReconnectOfTheSameDeviceDoesNotCountTwice()
    {
        using var a = await ConnectAsync("device-a", "ak_devices");
        using var b = await ConnectAsync("device-b", "ak_devices");
        using var again = await ConnectAsync("device-a", "ak_devices");
        Assert.That(Gateway.ConnectionCount, Is.EqualTo(3));
    }

    [Test]
    public async Task ADeviceSlotFreesWhenItsLastConnectionCloses()
    {
        using var a = await ConnectAsync("device-a", "ak_devices");
        var b = await ConnectAsync("device-b", "ak_devices");
        b.Dispose();
        await Eventually.TrueAsync(() => Gateway.ConnectionCount == 1, because: "device-b's connection should be gone");
        using var c = await ConnectAsync("device-c", "ak_devices");
    }

    [Test]
    public async Task DevKeysHaveNoLimits()
    {
        var sockets = new List<RawSocket>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                sockets.Add(await SubscribedAsync($"project.local.c{i}", $"device-{i}"));
            }
            for (var i = 0; i < 10; i++)
            {
                Assert.That(await sockets[0].RequestAsync("""{"op":"pub","ch":"project.local.c0","d":1}"""), Does.StartWith("{\"type\":\"message\""));
            }
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Test]
    public async Task ABinaryFrameThatIsNotUtf8JsonGetsInvalidMessage()
    {
        using var socket = await ConnectAsync();
        await socket.SendBinaryAsync([0xFF, 0xFE, 0x00, 0x80]);
        Assert.That(await socket.ReceiveTextAsync(), Does.StartWith("{\"type\":\"error\",\"error\":\"invalid_message\""));
        Assert.That(await socket.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
    }

    [TestCase("not json")]
    [TestCase("[1,2]")]
    [TestCase("\"hb\"")]
    [TestCase("""{"ch":"x"}""")]
    [TestCase("""{"op":5}""")]
    [TestCase("""{"op":"fly","ch":"x"}""")]
    [TestCase("""{"op":"sub"}""")]
    [TestCase("""{"op":"sub","ch":""}""")]
    [TestCase("""{"op":"unsub","ch":7}""")]
    [TestCase("""{"op":"pub","ch":"x","bin":true}""")]
    [TestCase("""{"op":"pub","ch":"x","bin":true,"b64":"%%%"}""")]
    [TestCase("""{"op":"pub","ch":"x","bin":true,"b64":"AQID","meta":[1]}""")]
    [TestCase("""{"op":"pub","ch":"x","bin":true,"b64":"AQID","ct":3}""")]
    [TestCase("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public async Task AMalformedFrameGetsInvalidMessageAndTheConnectionStaysUp(string frame)
    {
        using var socket = await SubscribedAsync("x");
        Assert.That(await socket.RequestAsync(frame), Does.StartWith("{\"type\":\"error\",\"error\":\"invalid_message\",\"message\":\""));
        Assert.That(await socket.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
        Assert.That(socket.Socket.State, Is.EqualTo(WebSocketState.Open));
    }
}
