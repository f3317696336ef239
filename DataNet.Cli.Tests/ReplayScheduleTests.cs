using System.Linq;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Cli.Recording;

namespace DataNet.Cli.Tests;

/// <summary>The replay's schedule as a pure function of the recorded offsets: virtual time, no clock, no sleep.</summary>
[TestFixture]
public sealed class ReplayScheduleTests
{
    private static readonly double[] Offsets = [100, 200, 400, 1000];

    private static double[] DueMs(ReplaySchedule schedule, int take = 100) =>
        schedule.Messages().Take(take).Select(m => m.Due.TotalMilliseconds).ToArray();

    [Test]
    public void OriginalTimingKeepsEveryOffset()
    {
        var schedule = new ReplaySchedule(Offsets, ReplayTiming.Original);

        Assert.That(DueMs(schedule), Is.EqualTo(new[] { 100.0, 200, 400, 1000 }));
        Assert.That(schedule.Total, Is.EqualTo(4));
        Assert.That(schedule.Length, Is.EqualTo(TimeSpan.FromMilliseconds(1000)));
    }

    [TestCase(0.5, new[] { 200.0, 400, 800, 2000 })]
    [TestCase(4, new[] { 25.0, 50, 100, 250 })]
    public void SpeedDividesEveryDeadline(double speed, double[] expected)
    {
        var schedule = new ReplaySchedule(Offsets, ReplayTiming.Original with { Speed = speed });

        Assert.That(DueMs(schedule), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void FromSkipsEarlierMessagesAndStartsTheClockThere()
    {
        var schedule = new ReplaySchedule(Offsets, ReplayTiming.Original with { From = TimeSpan.FromMilliseconds(150) });

        Assert.That(schedule.BeforeFrom, Is.EqualTo(1));
        Assert.That(schedule.Messages().Select(m => m.Index), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(DueMs(schedule), Is.EqualTo(new[] { 50.0, 250, 850 }));
    }

    [Test]
    public void FromAfterTheLastMessageLeavesNothingToPlay()
    {
        var schedule = new ReplaySchedule(Offsets, ReplayTiming.Original with { From = TimeSpan.FromSeconds(2) });

        Assert.That(schedule.PerPass, Is.Zero);
        Assert.That(schedule.Messages(), Is.Empty);
    }

    [Test]
    public void LoopsFollowEachOtherAtOnePassPeriodWhichIsTheSpanPlusOneMeanInterval()
    {
        var schedule = new ReplaySchedule(Offsets, ReplayTiming.Original with { Passes = 3 });

        // Span from 0 to 1000 ms, mean interval (1000 - 100) / 3 = 300 ms: a pass lasts 1300 ms.
        Assert.That(schedule.PassPeriod, Is.EqualTo(TimeSpan.FromMilliseconds(1300)));
        Assert.That(schedule.Total, Is.EqualTo(12));
        Assert.That(DueMs(schedule), Is.EqualTo(new[] { 100.0, 200, 400, 1000, 1400, 1500, 1700, 2300, 2700, 2800, 3000, 3600 }));
        Assert.That(schedule.Messages().Select(m => m.Pass).Distinct(), Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public void LoopingForeverNeverEndsAndStaysInOrder()
    {
        var schedule = new ReplaySchedule(Offsets, ReplayTiming.Original with { Passes = null, Speed = 2 });

        var due = DueMs(schedule, take: 4_000);
        Assert.That(schedule.Total, Is.Null);
        Assert.That(schedule.Length, Is.Null);
        Assert.That(due, Has.Length.EqualTo(4_000));
        Assert.That(due, Is.Ordered);
        Assert.That(due[^1], Is.EqualTo(999 * 650 + 500).Within(1e-6), "pass 1000's last message: an absolute deadline, no drift from summed waits");
    }

    [Test]
    public void OneMessageLoopsOncePerSecond()
    {
        var schedule = new ReplaySchedule([250], ReplayTiming.Original with { Passes = 2 });

        Assert.That(DueMs(schedule), Is.EqualTo(new[] { 250.0, 1500 }));
    }

    [TestCase("90", 90_000)]
    [TestCase("30s", 30_000)]
    [TestCase("1m30s", 90_000)]
    [TestCase("1.5s", 1_500)]
    [TestCase("250ms", 250)]
    [TestCase("1h2m3s", 3_723_000)]
    [TestCase("2m", 120_000)]
    public void DurationsReadAsPeopleWriteThem(string text, double milliseconds) =>
        Assert.That(DurationText.Parse(text, "--from").TotalMilliseconds, Is.EqualTo(milliseconds));

    [TestCase("")]
    [TestCase("-5")]
    [TestCase("5x")]
    [TestCase("m")]
    public void NonDurationsAreUsageErrors(string text)
    {
        var error = Assert.Throws<CliException>(() => DurationText.Parse(text, "--from"))!;
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.Usage));
    }

    [Test]
    public void ChannelMapExactWinsThenTheLongestPrefix()
    {
        var map = ChannelMap.Parse(["project.studio.*=project.local.*", "project.studio.env=project.local.sensors", "project.studio.dmx.*=lights.*"]);

        Assert.That(map.Map("project.studio.env"), Is.EqualTo("project.local.sensors"));
        Assert.That(map.Map("project.studio.motion"), Is.EqualTo("project.local.motion"));
        Assert.That(map.Map("project.studio.dmx.1"), Is.EqualTo("lights.1"));
        Assert.That(map.Map("other"), Is.EqualTo("other"));
    }

    [TestCase("nothing")]
    [TestCase("=b")]
    [TestCase("a*=b")]
    [TestCase("a*b=c")]
    public void BadMapRulesAreUsageErrors(string rule) =>
        Assert.That(Assert.Throws<CliException>(() => ChannelMap.Parse([rule]))!.ExitCode, Is.EqualTo(ExitCodes.Usage));

    [Test]
    public void MappingAChannelTwiceIsAnError() =>
        Assert.Throws<CliException>(() => ChannelMap.Parse(["a=b", "a=c"]));
}
