using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>Publish limits per channel and per project, from the config file, shared by every connection.</summary>
[TestFixture]
public sealed class RateLimitTests : GatewayTestBase
{
    /// <inheritdoc/>
    protected override GatewayOptions Configure(GatewayOptions options) => options with
    {
        Config = GatewayConfigLoader.Parse("""
            {
              "keys": { "ak_chan": { "project": "chan" }, "ak_proj": { "project": "proj" } },
              "projects": {
                "chan": { "channelMessagesPerSecond": 2, "messagesPerSecond": 10 },
                "proj": { "projectMessagesPerSecond": 3 }
              }
            }
            """),
    };

    [Test]
    public async Task TheChannelBudgetIsSharedByEveryConnectionAndCountsPerChannel()
    {
        using var one = await SubscribedAsync("project.chan.a", "one", "ak_chan");
        using var two = await ConnectAsync("two", "ak_chan");
        Assert.That(await one.RequestAsync("""{"op":"pub","ch":"project.chan.a","d":1}"""), Does.Contain("\"d\":1,"));
        await two.SendTextAsync("""{"op":"pub","ch":"project.chan.a","d":2}""");
        Assert.That(await one.ReceiveTextAsync(), Does.Contain("\"d\":2,"));
        Clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.That(await two.RequestAsync("""{"op":"pub","ch":"project.chan.a","d":3}"""),
            Is.EqualTo("""{"type":"error","error":"rate_limited","channel":"project.chan.a","retry_ms":750,"scope":"channel"}"""),
            "two publishes on the channel in this window, from two connections each well under their own budget");
        Assert.That(await one.RequestAsync("""{"op":"sub","ch":"project.chan.b"}"""), Does.StartWith("{\"type\":\"sub_ack\""));
        Assert.That(await one.RequestAsync("""{"op":"pub","ch":"project.chan.b","d":4}"""), Does.StartWith("{\"type\":\"message\""),
            "another channel has its own budget");
    }

    [Test]
    public async Task TheProjectBudgetSpansChannelsAndConnections()
    {
        using var one = await SubscribedAsync("project.proj.a", "one", "ak_proj");
        using var two = await ConnectAsync("two", "ak_proj");
        await two.SendTextAsync("""{"op":"pub","ch":"project.proj.b","d":1}""");
        await two.SendTextAsync("""{"op":"pub","ch":"project.proj.c","d":2}""");
        await two.SendTextAsync("""{"op":"pub","ch":"project.proj.a","d":3}""");
        Assert.That(await one.ReceiveTextAsync(), Does.Contain("\"d\":3,"), "three publishes fit in the project's budget");
        Assert.That(await one.RequestAsync("""{"op":"pub","ch":"project.proj.a","d":4}"""), Is.EqualTo(
            """{"type":"error","error":"rate_limited","channel":"project.proj.a","retry_ms":1000,"scope":"project"}"""),
            "the fourth, from another connection, is over it");
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await one.RequestAsync("""{"op":"pub","ch":"project.proj.a","d":5}"""), Does.Contain("\"d\":5,"), "a new window");
    }
}
