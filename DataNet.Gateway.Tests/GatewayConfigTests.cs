using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>The config file format: what it accepts, and plain errors for what it does not.</summary>
[TestFixture]
public sealed class GatewayConfigTests
{
    [Test]
    public void AFullConfigParses()
    {
        var config = GatewayConfigLoader.Parse("""
            {
              "allowDevKeys": false, // comment
              "keys": { "k1": { "project": "p", "scopes": ["pub"], "channelPrefixes": ["project.p."] } },
              "projects": { "p": { "channels": ["project.p.a"], "deviceLimit": 1, "topicLimit": 2, "messagesPerSecond": 3 } },
            }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(config.AllowDevKeys, Is.False);
            Assert.That(config.Keys["k1"].Project, Is.EqualTo("p"));
            Assert.That(string.Join(",", config.Keys["k1"].Scopes!), Is.EqualTo("pub"));
            Assert.That(string.Join(",", config.Keys["k1"].ChannelPrefixes!), Is.EqualTo("project.p."));
            Assert.That(string.Join(",", config.Projects["p"].Channels!), Is.EqualTo("project.p.a"));
            Assert.That(config.Projects["p"].DeviceLimit, Is.EqualTo(1));
            Assert.That(config.Projects["p"].TopicLimit, Is.EqualTo(2));
            Assert.That(config.Projects["p"].MessagesPerSecond, Is.EqualTo(3));
        });
    }

    [Test]
    public void OmittedFieldsTakeTheDevDefaults()
    {
        var config = GatewayConfigLoader.Parse("""{ "keys": { "k1": {} } }""");
        Assert.That(config.AllowDevKeys, Is.True);
        Assert.That(config.Keys["k1"].Project, Is.EqualTo("local"));
        Assert.That(config.Keys["k1"].Scopes, Is.EqualTo(GatewayScopes.All));
        Assert.That(config.Keys["k1"].ChannelPrefixes, Is.Null);
    }

    [TestCase("""{ "kees": {} }""", "could not be mapped", TestName = "AnUnknownPropertyIsAnError")]
    [TestCase("""{ "keys": { "k1": { "scopes": ["admin"] } } }""", "unknown scope 'admin'", TestName = "AnUnknownScopeIsAnError")]
    [TestCase("""{ "keys": { "k1": { "project": "" } } }""", "empty project", TestName = "AnEmptyProjectIsAnError")]
    [TestCase("""{ "projects": { "p": { "deviceLimit": -1 } } }""", "negative limit", TestName = "ANegativeLimitIsAnError")]
    [TestCase("""{ "keys": """, "not valid", TestName = "TruncatedJsonIsAnError")]
    public void InvalidConfigIsAPlainError(string json, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GatewayConfigLoader.Parse(json, "test.json"));
        Assert.That(error!.Message, Does.Contain(expected).And.Contain("test.json"));
    }

    [Test]
    public void OptionsAreCheckedBeforeBinding()
    {
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LocalGateway.StartAsync(new GatewayOptions { Port = 70000 }));
        Assert.ThrowsAsync<ArgumentException>(() => LocalGateway.StartAsync(new GatewayOptions { Port = 0, BindAddress = "not-an-ip" }));
    }

    [Test]
    public async Task StopAndDisposeAreIdempotent()
    {
        var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        await gateway.StopAsync();
        await gateway.StopAsync();
        await gateway.DisposeAsync();
        await gateway.DisposeAsync();
        await gateway.StopAsync();
        Assert.That(gateway.IsRunning, Is.False);
    }
}
