using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using DataNet.Cli.Recording;

namespace DataNet.Cli.Tests;

/// <summary>
/// The recording the TouchDesigner examples ship (tox-source/examples/recordings): made by its committed script, on
/// the channel of the example it rehearses, and it replays cleanly.
/// </summary>
[TestFixture]
public sealed partial class ExampleRecordingTests : CliGatewayFixture
{
    private static string Folder => Path.Combine(Repository.Root, "tox-source", "examples", "recordings");

    private static string RecordingFile => Path.Combine(Folder, "sensor_dashboard.jsonl");

    [Test]
    public async Task ItParsesWithoutProblemsOnTheChannelOfTheSensorDashboardExample()
    {
        using var reader = new StreamReader(RecordingFile);
        var recording = await RecordingReader.ReadAsync(reader, strict: true, CancellationToken.None);

        var example = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "tox-source", "examples", "sensor_dashboard.py"));
        var exampleChannel = ExampleChannel().Match(example).Groups["channel"].Value;
        Assert.That(exampleChannel, Is.EqualTo("project.local.env"), "the example names its channel");
        Assert.That(recording.Header.Channels, Is.EqualTo(new[] { exampleChannel }));
        Assert.That(recording.Messages.Select(m => m.Channel).Distinct(), Is.EqualTo(new[] { exampleChannel }));
        Assert.That(recording.Messages, Has.Count.InRange(100, 1000), "small: a few hundred lines");
        foreach (var message in recording.Messages)
        {
            using var data = JsonDocument.Parse(message.DataJson!);
            Assert.That(data.RootElement.GetProperty("t").GetDouble(), Is.InRange(15, 25), "temperature, as the example's LFO");
            Assert.That(data.RootElement.GetProperty("h").GetDouble(), Is.InRange(40, 60), "humidity, as the example's LFO");
        }
    }

    [Test]
    public async Task TheCommittedFileIsWhatItsScriptWrites()
    {
        var regenerated = Path.Combine(Path.GetTempPath(), $"datanet-example-recording-{Guid.NewGuid():N}.jsonl");
        try
        {
            using var script = Process.Start(new ProcessStartInfo(TestPython.Find(), [Path.Combine(Folder, "make_sensor_recording.py"), regenerated])
            {
                RedirectStandardError = true,
            })!;
            var errors = await script.StandardError.ReadToEndAsync();
            await script.WaitForExitAsync();
            Assert.That(script.ExitCode, Is.Zero, errors);
            Assert.That(await File.ReadAllBytesAsync(regenerated), Is.EqualTo(await File.ReadAllBytesAsync(RecordingFile)));
        }
        finally
        {
            File.Delete(regenerated);
        }
    }

    [Test]
    public async Task ItReplaysCleanlyThroughTheGateway()
    {
        await using var subscriber = await RawSubscriber.SubscribeAsync(Gateway, "project.local.env");

        await using var replay = await CliRun.RunAsync(Environment, "replay", RecordingFile, "--speed", "100");

        Assert.That(await replay.Exit, Is.Zero, replay.ToString());
        Assert.That(replay.Output.Text, Does.Contain("published 300 of 300 message(s)").And.Contain("Skipped 0 malformed line(s)"), replay.ToString());
        await Eventually.TrueAsync(() => subscriber.MessageCount == 300, because: "every line arrives");
    }

    [GeneratedRegex("^CHANNEL = '(?<channel>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex ExampleChannel();
}
