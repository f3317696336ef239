using System.IO;
using System.Threading;
using DataNet.Td.Auth;
using DataNet.Td.Presence;
using DataNet.Td.Protocol;

namespace DataNet.Td.Tests;

public class AuthUnitTests
{
    private static string Jwt(long exp, string pid = "local") =>
        "h." + JwtPayload.Base64UrlEncode("{\"exp\":" + exp + ",\"pid\":\"" + pid + "\"}") + ".s";

    [Test]
    public void AuthBodyMatchesThePythonTestAndOmitsEmptyFields()
    {
        Assert.That(TokenClient.BuildBody("ak_1", "dev-1", "touchdesigner", "Show"),
            Is.EqualTo("{\"apiKey\":\"ak_1\",\"deviceId\":\"dev-1\",\"clientId\":\"touchdesigner\",\"deviceName\":\"Show\"}"));
        Assert.That(TokenClient.BuildBody("ak_1", "", null, null), Is.EqualTo("{\"apiKey\":\"ak_1\"}"));
    }

    [Test]
    public async Task TokensAreReusedRefreshedAheadAndNeverUsedStale()
    {
        var clock = new WallJumpingTime(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var issued = 0;
        var lifetime = 600L;
        using var provider = new TokenProvider(_ =>
        {
            issued++;
            return Task.FromResult(Jwt(clock.GetUtcNow().ToUnixTimeSeconds() + lifetime));
        }, clock, connectTime: TimeSpan.Zero);

        var first = await provider.GetForConnectAsync(CancellationToken.None);
        Assert.That(first.ProjectId, Is.EqualTo("local"));
        Assert.That(provider.RefreshDueAt, Is.EqualTo(clock.Monotonic + TimeSpan.FromSeconds(600 - 90)), "90 s before exp");

        clock.Advance(TimeSpan.FromSeconds(589));
        Assert.That(await provider.GetForConnectAsync(CancellationToken.None), Is.SameAs(first), "11 s left: reused");
        clock.Advance(TimeSpan.FromSeconds(2));
        var second = await provider.GetForConnectAsync(CancellationToken.None);
        Assert.That(second, Is.Not.SameAs(first), "9 s left: refreshed before connecting");
        Assert.That(issued, Is.EqualTo(2));

        // A wall-clock jump does not move the monotonic expiry.
        var monotonic = clock.Monotonic;
        clock.JumpWallClock(TimeSpan.FromDays(1));
        Assert.That(clock.Monotonic, Is.EqualTo(monotonic));
        Assert.That(await provider.GetForConnectAsync(CancellationToken.None), Is.SameAs(second));

        provider.Invalidate(second);
        Assert.That(provider.Current, Is.Null);
        await provider.GetForConnectAsync(CancellationToken.None);
        Assert.That(issued, Is.EqualTo(3), "a refused token is never retried");

        lifetime = 4;
        var shortLived = await provider.FetchAsync(provider.Current, CancellationToken.None);
        Assert.That(provider.RefreshDueAt, Is.EqualTo(shortLived.ExpiresAt - TimeSpan.FromSeconds(2)), "half the lifetime for short tokens");
    }

    [Test]
    public void DeviceIdIsCreatedOnceAndPersisted()
    {
        var folder = Path.Combine(Path.GetTempPath(), "datanet-test-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(folder, "device-id");
        try
        {
            var id = DeviceIdStore.GetOrCreate(path);
            Assert.That(id, Does.StartWith("td-"));
            Assert.That(DeviceIdStore.GetOrCreate(path), Is.EqualTo(id));
            Assert.That(File.ReadAllText(path), Is.EqualTo(id));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void PresenceUrlAndParsingMatchTheSiblingSdks()
    {
        Assert.That(PresenceClient.BuildUrl("https://api.example.test", "project.project-id.demo", "project-id"),
            Is.EqualTo("https://api.example.test/presence?channel=project.project-id.demo&projectId=project-id"));
        Assert.That(PresenceClient.BuildUrl("http://h", "a b/c", null), Is.EqualTo("http://h/presence?channel=a%20b%2Fc"));

        var modern = PresenceClient.Parse("c", "{\"occupancy\":2,\"members\":[\"one\",\"two\"]}")!;
        Assert.That(modern.Occupancy, Is.EqualTo(2));
        Assert.That(modern.Members, Is.EqualTo(new[] { "one", "two" }));
        var legacy = PresenceClient.Parse("c", "{\"count\":3,\"members\":[\"a\",1,null,{\"x\":1},\"b\"]}")!;
        Assert.That(legacy.Occupancy, Is.EqualTo(3));
        Assert.That(legacy.Members, Is.EqualTo(new[] { "a", "b" }), "non-string members dropped");
        Assert.That(PresenceClient.Parse("c", "nope"), Is.Null);
    }

    /// <summary>Virtual time whose wall clock can also jump on its own, as a user changing the system time would.</summary>
    private sealed class WallJumpingTime(DateTimeOffset start) : TimeProvider
    {
        private readonly VirtualTime _time = new(start);
        private TimeSpan _jump;

        public TimeSpan Monotonic => _time.Monotonic;

        public override long TimestampFrequency => _time.TimestampFrequency;

        public override long GetTimestamp() => _time.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => _time.GetUtcNow() + _jump;

        public void Advance(TimeSpan by) => _time.Advance(by);

        public void JumpWallClock(TimeSpan by) => _jump += by;
    }
}
