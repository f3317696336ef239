using DataNet.Td.Queues;

namespace DataNet.Td.Tests;

/// <summary>After a rate limit the queue is paced, not flushed as one burst (on a stepped clock).</summary>
public class PublishPacerTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    /// <summary>Offers a publish every millisecond for <paramref name="span"/>; returns how many the pacer let through.</summary>
    private static int Drain(PublishPacer pacer, ref TimeSpan now, TimeSpan span)
    {
        var passed = 0;
        for (var end = now + span; now < end; now += Ms)
        {
            if (pacer.TryTake(now, out _))
            {
                pacer.Written(now);
                passed++;
            }
        }

        return passed;
    }

    [Test]
    public void UnpacedUntilARateLimitThenHalfTheObservedRateAndRisingSlowly()
    {
        var pacer = new PublishPacer();
        var now = TimeSpan.FromHours(1);
        // 60 publishes a second get through untouched...
        for (var i = 0; i < 60; i++, now += TimeSpan.FromMilliseconds(16))
        {
            Assert.That(pacer.TryTake(now, out _), Is.True);
            pacer.Written(now);
        }

        // ...until the gateway refuses one: then a queue of 1,200 does not go out as one burst.
        pacer.RateLimited(now);
        Assert.That(pacer.Rate, Is.EqualTo(30));
        var firstSecond = Drain(pacer, ref now, TimeSpan.FromSeconds(1));
        Assert.That(firstSecond, Is.InRange(28, 34), "about 30 in the first second");
        var secondSecond = Drain(pacer, ref now, TimeSpan.FromSeconds(1));
        Assert.That(secondSecond, Is.InRange(35, 41), "a quarter more each second without a refusal");

        pacer.RateLimited(now);
        Assert.That(pacer.Rate, Is.LessThan(25), "halved again");
        pacer.RateLimited(now + Ms);
        Assert.That(pacer.Rate, Is.GreaterThan(15), "the refusals of one burst halve it once");

        pacer.Idle();
        Assert.That(Drain(pacer, ref now, TimeSpan.FromMilliseconds(100)), Is.EqualTo(100), "an empty queue ends pacing");
    }
}
