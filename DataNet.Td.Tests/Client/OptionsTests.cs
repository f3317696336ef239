namespace DataNet.Td.Tests;

public class OptionsTests
{
    [Test]
    public void DefaultsMatchTheContract()
    {
        var o = new DataNetOptions();
        Assert.Multiple(() =>
        {
            Assert.That(o.ApiUrl, Is.EqualTo("https://api.datanet.art"));
            Assert.That(o.WsUrl, Is.EqualTo("wss://ws.datanet.art"));
            Assert.That(o.ClientId, Is.EqualTo("touchdesigner"));
            Assert.That(o.HeartbeatInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(o.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(o.InboxCapacity, Is.EqualTo(10_000));
            Assert.That(o.OutboxCapacity, Is.EqualTo(1_000));
            Assert.That(o.PollMaxItems, Is.EqualTo(10_000));
            Assert.That(o.PollMaxTime, Is.EqualTo(TimeSpan.FromMilliseconds(4)));
            Assert.That(o.RowCapacity, Is.EqualTo(1_000));
            Assert.That(o.RetryPolicy, Is.SameAs(ExponentialBackoffRetryPolicy.Default));
        });
        var local = DataNetOptions.LocalGateway(9000);
        Assert.That(local.ApiUrl, Is.EqualTo("http://127.0.0.1:9000"));
        Assert.That(local.WsUrl, Is.EqualTo("ws://127.0.0.1:9000"));
        Assert.That(local.ApiKey, Is.EqualTo("ak_local"));
    }

    [Test]
    public void ToStringNeverShowsTheKey()
    {
        var o = new DataNetOptions { ApiKey = "ak_supersecret123", DeviceName = "show" };
        Assert.That(o.ToString(), Does.Not.Contain("supersecret"));
        Assert.That(o.ToString(), Does.Contain("ApiKey = (set)"));
        Assert.That(o.ToString(), Does.Contain("DeviceName = show"));
    }

    [Test]
    public void BackoffIsJitteredBetweenFloorAndCeiling()
    {
        var policy = new ExponentialBackoffRetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), seed: 42);
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var ceiling = Math.Min(30, Math.Pow(2, attempt));
            for (var i = 0; i < 50; i++)
            {
                var delay = policy.NextRetryDelay(new RetryContext(attempt, TimeSpan.Zero, null))!.Value.TotalSeconds;
                Assert.That(delay, Is.InRange(1.0, ceiling), $"attempt {attempt}");
            }
        }

        Assert.That(ExponentialBackoffRetryPolicy.Default.MaxAttempts, Is.Null, "unlimited by default");
        var limited = new ExponentialBackoffRetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), maxAttempts: 2);
        Assert.That(limited.NextRetryDelay(new RetryContext(2, TimeSpan.Zero, null)), Is.Not.Null);
        Assert.That(limited.NextRetryDelay(new RetryContext(3, TimeSpan.Zero, null)), Is.Null);
    }

    [Test]
    public void BackoffActuallyJittersFromTheFirstAttempt()
    {
        // The first retry matters most: after a gateway restart every client makes it at once.
        var policy = new ExponentialBackoffRetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), seed: 7);
        foreach (var attempt in new[] { 1, 5 })
        {
            var a = policy.NextRetryDelay(new RetryContext(attempt, TimeSpan.Zero, null));
            var b = policy.NextRetryDelay(new RetryContext(attempt, TimeSpan.Zero, null));
            Assert.That(a, Is.Not.EqualTo(b), $"attempt {attempt}");
        }
    }
}
