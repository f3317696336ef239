using System.Threading;
using DataNet.Td.Auth;
using DataNet.Td.Protocol;

namespace DataNet.Td.Tests;

/// <summary>Token lifetimes a server chooses, however absurd, neither crash the loop nor cause request storms.</summary>
public class TokenLifetimeTests
{
    private static readonly DateTimeOffset Wall = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static string Jwt(string exp) => "h." + JwtPayload.Base64UrlEncode("{\"exp\":" + exp + "}") + ".s";

    [TestCase("-99999999999", false)]
    [TestCase("-1e300", false)]
    [TestCase("99999999999999", true)]
    [TestCase("1e300", true)]
    public void AnExpOutsideTheCalendarIsClampedNotThrown(string exp, bool future)
    {
        var token = AuthToken.FromJwt(Jwt(exp), TimeSpan.FromHours(1), Wall);
        Assert.That(token.ExpiresAt, future ? Is.GreaterThan(TimeSpan.FromDays(365 * 1000)) : Is.LessThan(TimeSpan.Zero));
    }

    [TestCase(-600)]
    [TestCase(0)]
    [TestCase(1)]
    public async Task ATokenThatArrivesExpiredOrNearlyIsNotRefreshedWhileConnected(int lifetimeSeconds)
    {
        var clock = new VirtualTime(Wall);
        using var provider = new TokenProvider(_ => Task.FromResult(Jwt((clock.GetUtcNow().ToUnixTimeSeconds() + lifetimeSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            clock, connectTime: TimeSpan.FromSeconds(10));
        await provider.FetchAsync(null, CancellationToken.None);

        Assert.That(provider.RefreshDueAt, Is.Null, "no refresh while connected: it would fetch the same, every second");
        Assert.That(provider.IsReusable(provider.Current), Is.False, "the next connect fetches a new one");
    }

    [Test]
    public async Task ATokenIsReusedOnlyIfItOutlivesAConnectThatTakesTheWholeRequestTimeout()
    {
        var clock = new VirtualTime(Wall);
        var issued = 0;
        using var provider = new TokenProvider(_ =>
        {
            issued++;
            return Task.FromResult(Jwt((clock.GetUtcNow().ToUnixTimeSeconds() + 600).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }, clock, connectTime: TimeSpan.FromSeconds(30));
        var first = await provider.GetForConnectAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(600 - 41));
        Assert.That(await provider.GetForConnectAsync(CancellationToken.None), Is.SameAs(first), "41 s left: 30 s connect + 10 s margin");
        clock.Advance(TimeSpan.FromSeconds(26));
        Assert.That(await provider.GetForConnectAsync(CancellationToken.None), Is.Not.SameAs(first),
            "15 s left would expire during a 30 s upgrade: fetched anew");
        Assert.That(issued, Is.EqualTo(2));
    }
}
