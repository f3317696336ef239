using System.Linq;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>
/// Every protocol timer of the client on virtual time, to the tick: nothing happens a tick early, and it happens at
/// the deadline. A scripted socket records the client's clock at each open and send; the gateway that issues the
/// tokens runs on the same virtual clock, so token lifetimes are virtual too. Nothing here waits on a wall clock.
/// </summary>
public class TimerTests : VirtualGatewayFixture
{
    private const string Heartbeat = "{\"op\":\"hb\"}";
    private const string HeartbeatAck = "{\"type\":\"hb_ack\",\"op\":\"hb\",\"timestamp\":1710000000000}";
    private const string Subscribe = "{\"op\":\"sub\",\"ch\":\"demo.timer\"}";
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Test]
    public async Task HeartbeatsGoExactlyEveryThirtySecondsAndAcksKeepTheLinkAlive()
    {
        var factory = Factory((_, t) => t.ServerText(Connected));
        using var client = Create(factory, TestClients.For(Gateway));
        var start = await ConnectedAtAsync(client, factory);
        var socket = factory.Created.Single();
        var interval = client.Options.HeartbeatInterval;
        Assert.That(interval, Is.EqualTo(TimeSpan.FromSeconds(30)), "the default");

        for (var beat = 1; beat <= 5; beat++)
        {
            await AdvanceToAsync(start + (beat * interval));
            await Eventually.TrueAsync(() => SentTimes(socket, Heartbeat).Length == beat);
            Assert.That(SentTimes(socket, Heartbeat)[beat - 1], Is.EqualTo(start + (beat * interval)), "heartbeat " + beat + ": on the interval, not a tick before");
            socket.ServerText(HeartbeatAck);
        }

        Assert.That(client.Stats.HeartbeatsSent, Is.EqualTo(5));
        Assert.That(factory.Created, Has.Count.EqualTo(1), "five heartbeats span two and a half dead-link windows; each ack kept the link");
    }

    [Test]
    public async Task ASilentLinkIsDeadExactlyTwoHeartbeatIntervalsAfterItsLastFrame()
    {
        var factory = Factory((_, t) => t.ServerText(Connected));
        using var client = Create(factory, TestClients.For(Gateway) with { RetryPolicy = new FixedRetryPolicy(TimeSpan.Zero) });
        var recorder = new Recorder(client);
        var start = await ConnectedAtAsync(client, factory);

        await AdvanceToAsync(start + TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => SentTimes(factory.Created[0], Heartbeat).Length == 1);
        await AdvanceToAsync(start + TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => factory.Created.Count == 2 && client.State == ConnectionState.Connected, recorder.Pump);

        Assert.That(factory.Created[1].OpenedAt, Is.EqualTo(start + TimeSpan.FromSeconds(60)), "dead at 60 s, not a tick before");
        Assert.That(recorder.Errors.Single(e => e.Code == ErrorCodes.ConnectionLost).Message, Does.Contain("for 60 s").And.Contain("dead link"));
    }

    [Test]
    public async Task ASendBlockedOnADeadLinkEndsTheSessionAtTheDeadLinkVerdict()
    {
        var factory = Factory((_, t) => t.ServerText(Connected));
        // The request timeout is ten minutes: a verdict that waited for the blocked send would come far later.
        var options = TestClients.For(Gateway) with { RequestTimeout = TimeSpan.FromMinutes(10), RetryPolicy = new FixedRetryPolicy(TimeSpan.Zero) };
        using var client = Create(factory, options);
        var recorder = new Recorder(client);
        var start = await ConnectedAtAsync(client, factory);
        var socket = factory.Created[0];

        Time.AdvanceTo(start + TimeSpan.FromSeconds(10));
        socket.StallSends = true;
        client.Publish("demo", "1");
        await Eventually.TrueAsync(() => socket.Sent.Contains("{\"op\":\"pub\",\"ch\":\"demo\",\"d\":1}"));
        // Written at 10 s, unanswered: dead at max(last frame + 60 s, written + 30 s) = 60 s.
        await AdvanceToAsync(start + TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => factory.Created.Count == 2, recorder.Pump);

        Assert.That(factory.Created[1].OpenedAt, Is.EqualTo(start + TimeSpan.FromSeconds(60)));
        Assert.That(socket.IsDisposed, Is.True);
        Assert.That(SentTimes(socket, Heartbeat), Is.Empty, "no heartbeat could pass the blocked send");
        await Eventually.TrueAsync(() => recorder.ErrorCount(ErrorCodes.ConnectionLost) == 1, recorder.Pump);
        Assert.That(recorder.Errors.Single(e => e.Code == ErrorCodes.ConnectionLost).Message, Does.Contain("dead link"));
    }

    [Test]
    public async Task NoConnectedWithinTheRequestTimeoutFailsTheAttemptToTheTick()
    {
        var factory = Factory((attempt, t) =>
        {
            if (attempt > 1)
            {
                t.ServerText(Connected);
            }
        });
        using var client = Create(factory, TestClients.For(Gateway) with { RetryPolicy = new FixedRetryPolicy(TimeSpan.Zero) });
        var recorder = new Recorder(client);
        client.Connect();
        await Eventually.TrueAsync(() => factory.Created.Count == 1 && factory.Created[0].Token is not null);
        var start = factory.Created[0].OpenedAt;

        await AdvanceToAsync(start + client.Options.RequestTimeout);
        await Eventually.TrueAsync(() => client.State == ConnectionState.Connected, recorder.Pump);

        Assert.That(factory.Created[1].OpenedAt, Is.EqualTo(start + TimeSpan.FromSeconds(5)), "the 5 s request timeout, not a tick less");
        Assert.That(recorder.Errors.Single().Message, Does.Contain("No 'connected' from the gateway within 5 s"));
        Assert.That(client.Stats.TokenRequests, Is.EqualTo(2), "a socket that never handshook drops its token");
    }

    [Test]
    public async Task ABackoffLongerThanADayWaitsExactlyADay()
    {
        var factory = Factory((attempt, t) =>
        {
            if (attempt == 1)
            {
                t.ServerClose("closed by the server");
            }
            else
            {
                t.ServerText(Connected);
            }
        });
        using var client = Create(factory, TestClients.For(Gateway) with { RetryPolicy = new FixedRetryPolicy(TimeSpan.FromDays(30)) });
        var recorder = new Recorder(client);
        client.Connect();
        await Eventually.TrueAsync(() => client.Status.StartsWith("Reconnecting in", StringComparison.Ordinal));
        var failedAt = factory.Created[0].OpenedAt;
        Assert.That(client.Status, Is.EqualTo("Reconnecting in 86400 s (attempt 1)"));

        Time.AdvanceTo(failedAt + TimeSpan.FromHours(23));
        Assert.That(client.Status, Is.EqualTo("Reconnecting in 3600 s (attempt 1)"), "the countdown runs on the same clock");
        await AdvanceToAsync(failedAt + TimeSpan.FromDays(1));
        await Eventually.TrueAsync(() => client.State == ConnectionState.Connected, recorder.Pump);

        Assert.That(factory.Created[1].OpenedAt, Is.EqualTo(failedAt + TimeSpan.FromDays(1)), "a day, not a tick less, not 30 days");
    }

    [Test]
    public async Task ATwentyFourHourRetryMsPausesPublishingForExactlyFiveMinutes()
    {
        var factory = Factory((_, t) => t.ServerText(Connected));
        // Heartbeats an hour apart: the pause, not a dead link, decides here.
        using var client = Create(factory, TestClients.For(Gateway) with { HeartbeatInterval = TimeSpan.FromHours(1) });
        var recorder = new Recorder(client);
        var start = await ConnectedAtAsync(client, factory);
        var socket = factory.Created[0];

        socket.ServerText("{\"type\":\"error\",\"error\":\"rate_limited\",\"retry_ms\":86400000,\"scope\":\"connection\"}");
        client.Publish("demo", "1");
        await AdvanceToAsync(start + TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(() => SentTimes(socket, "{\"op\":\"pub\",\"ch\":\"demo\",\"d\":1}").Length == 1);

        Assert.That(SentTimes(socket, "{\"op\":\"pub\",\"ch\":\"demo\",\"d\":1}")[0], Is.EqualTo(start + TimeSpan.FromMinutes(5)),
            "paused for the capped five minutes, not a tick less");
        await Eventually.TrueAsync(() => recorder.ErrorCount("rate_limited") == 1, recorder.Pump);
        Assert.That(recorder.Errors.Single().RetryMs, Is.EqualTo(5 * 60 * 1000));
    }

    [Test]
    public async Task ATokenIsRefreshedExactlyNinetySecondsBeforeItExpires()
    {
        var factory = Factory((_, t) => t.ServerText(Connected));
        using var client = Create(factory, TestClients.For(Gateway) with { HeartbeatInterval = TimeSpan.FromHours(1) });
        var start = await ConnectedAtAsync(client, factory);
        Assert.That(client.Stats.TokenRequests, Is.EqualTo(1));

        // The gateway's tokens live ten minutes: the refresh is due at 600 - 90 = 510 s.
        await AdvanceToAsync(start + TimeSpan.FromSeconds(510));
        await Eventually.TrueAsync(() => client.Stats.TokenRequests == 2);
        Assert.That(factory.Created, Has.Count.EqualTo(1), "a refresh does not reconnect: the open socket outlives its token");
    }

    /// <summary>
    /// Connects with one subscription and returns the virtual time of the handshake, once the loop has begun the
    /// session (its first frame, the subscribe, is out): the session's timers count from that time.
    /// </summary>
    private static async Task<TimeSpan> ConnectedAtAsync(DataNetClient client, ScriptedTransportFactory factory)
    {
        client.Subscribe("demo.timer");
        await client.ConnectAsync();
        await Eventually.TrueAsync(() => factory.Created[^1].Sent.Contains(Subscribe));
        return factory.Created[^1].OpenedAt;
    }

    /// <summary>
    /// Once the client waits for <paramref name="deadline"/>, moves time to a tick before it, sees that nothing fired
    /// (timers fire inside Advance), then moves onto it.
    /// </summary>
    private async Task AdvanceToAsync(TimeSpan deadline)
    {
        await Eventually.TrueAsync(() => Time.IsWaitingFor(deadline), because: "the client waits for the deadline; it waits for: " + Time.Pending());
        Time.AdvanceTo(deadline - Tick);
        Assert.That(Time.IsWaitingFor(deadline), Is.True, "a tick before the deadline nothing fired");
        Time.Advance(Tick);
    }

    private static TimeSpan[] SentTimes(ScriptedTransport socket, string frame) =>
        socket.SentAt.Where(s => s.Text == frame).Select(s => s.At).ToArray();
}
