using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace DataNet.Cli.Tests;

/// <summary>`datanet demo`: the whole path on one machine, shown as plain lines when stdout is not a terminal.</summary>
[TestFixture]
public sealed class DemoCommandTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Test]
    public async Task ShowsLiveDataAndEndsCleanlyOnCtrlC()
    {
        await using var demo = CliRun.Start(NoEnvironment, "demo", "--port", "0", "--rows", "5");

        await Eventually.TrueAsync(
            () => ShowsData(demo.Output.Text) || demo.Exit.IsCompleted,
            TimeSpan.FromSeconds(30),
            "the demo shows values and rows");
        Assert.That(demo.Exit.IsCompleted, Is.False, demo.ToString());

        Assert.That(await demo.InterruptAsync(), Is.Zero, demo.ToString());
        Assert.That(demo.Output.Text, Does.Contain("Demo ended:").And.Contain("trimmed to keep 5"), demo.ToString());
        Assert.That(demo.Error.Text, Is.Empty);
    }

    [Test]
    public async Task SecondsEndsItByItself()
    {
        await using var demo = await CliRun.RunAsync(NoEnvironment, "demo", "--port", "0", "--seconds", "1");

        Assert.That(await demo.Exit, Is.Zero, demo.ToString());
        Assert.That(ShowsData(demo.Output.Text), Is.True, demo.ToString());
        Assert.That(Regex.IsMatch(demo.Output.Text, @"Demo ended: [1-9]\d* messages reached the TD side"), Is.True, demo.ToString());
    }

    /// <summary>A progress line with the flattened values of every demo channel, and a row from the table.</summary>
    private static bool ShowsData(string output) =>
        output.Contains("values:", StringComparison.Ordinal)
        && output.Contains("/env/t=", StringComparison.Ordinal)
        && output.Contains("/accel/0=", StringComparison.Ordinal)
        && output.Contains("newest row: project.local.", StringComparison.Ordinal);
}
