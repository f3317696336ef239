using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace DataNet.Cli.Tests;

/// <summary>`datanet record` and `datanet replay` against a real gateway: what is recorded is what a subscriber gets back.</summary>
[TestFixture]
public sealed class RecordReplayCommandTests : CliGatewayFixture
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "datanet-record-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task ARecordingReplayedArrivesWithTheSamePayloadsInOrderOnRemappedChannels()
    {
        var file = Path.Combine(_folder, "show.jsonl");
        await using var record = CliRun.Start(Environment, "record", "rec.env", "rec.dmx", "--out", file, "--max-messages", "6");
        await WaitUntilRecordingAsync(record);

        await using (var pub = await CliRun.RunAsync(Environment, "pub", "rec.env", "{\"i\":1,\"s\":\"\\u001b]0;pwned\\u0007 \u202e\"}"))
        {
            Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        }

        await using (var pub = await CliRun.RunAsync(Environment, "pub", "rec.dmx", "--dmx", "0,1,2,255", "--length", "4", "--meta", "{\"universe\":1}"))
        {
            Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        }

        await using (var pub = await CliRun.RunAsync(Environment, "pub", "rec.env", "[2,3.5,null]", "--rate", "200", "--count", "4"))
        {
            Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        }

        Assert.That(await record.WaitAsync(), Is.Zero, record.ToString());
        Assert.That(record.Output.Text, Does.Contain("Recorded 6 messages").And.Contain("7 lines with the header").And.Contain("--max-messages"), record.ToString());
        var lines = File.ReadAllLines(file);
        Assert.That(lines, Has.Length.EqualTo(7), "the header and one line per message");
        var text = File.ReadAllText(file);
        // Ordinal: culture-aware comparisons ignore control characters.
        Assert.That(text.IndexOfAny(['\u001b', '\u202e', '\u0007']), Is.EqualTo(-1), "a peer's control characters are escaped in the file");
        using (var header = JsonDocument.Parse(lines[0]))
        {
            Assert.That(header.RootElement.GetProperty("format").GetString(), Is.EqualTo("datanet-recording"));
            Assert.That(header.RootElement.GetProperty("version").GetInt32(), Is.EqualTo(1));
            Assert.That(header.RootElement.GetProperty("channels").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "rec.env", "rec.dmx" }));
            Assert.That(header.RootElement.GetProperty("gateway").GetString(), Does.StartWith("ws://127.0.0.1:"));
        }

        var offsets = lines.Skip(1).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("t").GetDouble()).ToArray();
        Assert.That(offsets, Is.Ordered, "arrival offsets never go back");

        await using var env = await RawSubscriber.SubscribeAsync(Gateway, "play.env");
        await using var dmx = await RawSubscriber.SubscribeAsync(Gateway, "play.dmx");
        await using var replay = await CliRun.RunAsync(Environment, "replay", file, "--map", "rec.*=play.*", "--speed", "20");

        Assert.That(await replay.Exit, Is.Zero, replay.ToString());
        Assert.That(replay.Output.Text, Does.Contain("published 6 of 6 message(s) in 1 pass(es)").And.Contain("Skipped 0 malformed line(s)"), replay.ToString());
        await Eventually.TrueAsync(() => env.MessageCount == 5 && dmx.MessageCount == 1, because: "every replayed message arrives");
        var json = env.Messages().Select(m => m.GetProperty("d").GetRawText()).ToArray();
        Assert.That(JsonDocument.Parse(json[0]).RootElement.GetProperty("s").GetString(), Is.EqualTo("\u001b]0;pwned\u0007 \u202e"), "the same payload, byte for byte in meaning");
        Assert.That(json.Skip(1), Is.All.EqualTo("[2,3.5,null]"));
        var binary = dmx.Messages()[0];
        Assert.That(binary.GetProperty("b64").GetString(), Is.EqualTo("AAEC/w=="));
        Assert.That(binary.GetProperty("ct").GetString(), Is.EqualTo("binary/dmx"));
        Assert.That(binary.GetProperty("meta").GetProperty("universe").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task ReplayOnTheSameChannelsLoopsTheRecordingInOrder()
    {
        var file = Path.Combine(_folder, "loop.jsonl");
        await File.WriteAllTextAsync(file, Recording(
            """{"t":0,"ch":"same.ch","d":{"i":0}}""",
            """{"t":5,"ch":"same.ch","d":{"i":1}}""",
            """{"t":10,"ch":"same.ch","d":{"i":2}}"""));
        await using var subscriber = await RawSubscriber.SubscribeAsync(Gateway, "same.ch");

        await using var replay = await CliRun.RunAsync(Environment, "replay", file, "--loop", "3");

        Assert.That(await replay.Exit, Is.Zero, replay.ToString());
        Assert.That(replay.Output.Text, Does.Contain("published 9 of 9 message(s) in 3 pass(es)"), replay.ToString());
        await Eventually.TrueAsync(() => subscriber.MessageCount == 9, because: "three passes of three");
        var order = subscriber.Messages().Select(m => m.GetProperty("d").GetProperty("i").GetInt32());
        Assert.That(order, Is.EqualTo(new[] { 0, 1, 2, 0, 1, 2, 0, 1, 2 }));
    }

    [Test]
    public async Task CtrlCWritesEverythingReceivedAndTheCountIsTheLinesInTheFile()
    {
        var file = Path.Combine(_folder, "stop.jsonl");
        await using var witness = await RawSubscriber.SubscribeAsync(Gateway, "rec.stop");
        await using var record = CliRun.Start(Environment, "record", file, "rec.stop");
        await WaitUntilRecordingAsync(record);

        await using (var pub = await CliRun.RunAsync(Environment, "pub", "rec.stop", "{\"v\":1}", "--rate", "1000", "--count", "50"))
        {
            Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        }

        await Eventually.TrueAsync(() => witness.MessageCount == 50, because: "the gateway delivered all 50");
        Assert.That(await record.InterruptAsync(), Is.Zero, record.ToString());

        var messageLines = File.ReadAllLines(file).Length - 1;
        Assert.That(record.Output.Text, Does.Contain($"Recorded {messageLines} messages").And.Contain("Stopped by Ctrl-C"), record.ToString());
        Assert.That(messageLines, Is.EqualTo(50), record.ToString());
        Assert.That(File.ReadAllText(file), Does.EndWith("}\n"), "the last line is complete");
    }

    [Test]
    public async Task RecordNeverOverwritesWithoutForce()
    {
        var file = Path.Combine(_folder, "taken.jsonl");
        await File.WriteAllTextAsync(file, "precious");

        await using var refused = await CliRun.RunAsync(Environment, "record", "--out", file, "rec.taken", "--duration", "0.1");

        Assert.That(await refused.Exit, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Error.Text, Does.Contain("exists: give --force to overwrite it"));
        Assert.That(await File.ReadAllTextAsync(file), Is.EqualTo("precious"));

        await using var forced = await CliRun.RunAsync(Environment, "record", "--out", file, "rec.taken", "--duration", "0.1", "--force");

        Assert.That(await forced.Exit, Is.Zero, forced.ToString());
        Assert.That(forced.Output.Text, Does.Contain("Recorded 0 messages").And.Contain("Stopped by --duration"));
        Assert.That(File.ReadAllLines(file), Has.Length.EqualTo(1).And.All.Contain("\"format\":\"datanet-recording\""));
    }

    [Test]
    public async Task MalformedLinesAreNamedSkippedAndCountedWhileTheGoodOnesPlay()
    {
        var file = Path.Combine(_folder, "broken.jsonl");
        await File.WriteAllTextAsync(file, Recording(
            """{"t":5,"ch":"bad.ch","d":1}""",
            "not json \u001b[2J",
            """{"t":2,"d":3}""",
            """{"t":3,"ch":"bad.ch","bin":true,"b64":"%%%"}""",
            """{"t":1,"ch":"bad.ch","d":4}""",
            new string('x', 2 * 1024 * 1024 + 1),
            """{"t":6,"ch":"bad.ch","bin":true,"b64":"AQID","ct":"binary/dmx"}"""));
        await using var subscriber = await RawSubscriber.SubscribeAsync(Gateway, "bad.ch");

        await using var replay = await CliRun.RunAsync(Environment, "replay", file);

        Assert.That(await replay.Exit, Is.EqualTo(2), replay.ToString());
        Assert.That(replay.Error.Text, Does.Contain("line 3: not valid JSON"));
        Assert.That(replay.Error.Text, Does.Contain("line 4: no channel"));
        Assert.That(replay.Error.Text, Does.Contain("line 5: \"b64\" must be standard base64"));
        Assert.That(replay.Error.Text, Does.Contain("line 6: offset t=1 ms is before the previous line's 5 ms"));
        Assert.That(replay.Error.Text, Does.Contain("line 7: too long"));
        Assert.That(replay.Error.Text.Contains('\u001b', StringComparison.Ordinal), Is.False, "the file's text reaches the terminal escaped");
        Assert.That(replay.Error.Text, Does.Contain("5 malformed line(s) of the recording were skipped"));
        Assert.That(replay.Output.Text, Does.Contain("published 2 of 2").And.Contain("Skipped 5 malformed line(s)"), replay.ToString());
        await Eventually.TrueAsync(() => subscriber.MessageCount == 2, because: "the two good lines are published");
        Assert.That(subscriber.Messages()[1].GetProperty("b64").GetString(), Is.EqualTo("AQID"));
    }

    [Test]
    public async Task StrictRefusesTheFileAtItsFirstMalformedLineBeforeConnecting()
    {
        var file = Path.Combine(_folder, "strict.jsonl");
        await File.WriteAllTextAsync(file, Recording("""{"t":0,"ch":"strict.ch","d":1}""", "{\"t\":-1,\"ch\":\"strict.ch\",\"d\":2}"));
        var unreachable = new System.Collections.Generic.Dictionary<string, string> { ["DATANET_API_URL"] = "http://127.0.0.1:9" };

        await using var replay = await CliRun.RunAsync(unreachable, "replay", file, "--strict");

        Assert.That(await replay.Exit, Is.EqualTo(2), "a bad file, not an unreachable gateway: nothing connected. " + replay);
        Assert.That(replay.Error.Text, Does.Contain("line 3: no offset").And.Contain("--strict: nothing was published"));
    }

    [Test]
    public async Task AFileThatIsNotARecordingIsOneClearError()
    {
        var file = Path.Combine(_folder, "other.jsonl");
        await File.WriteAllTextAsync(file, "{\"channel\":\"x\",\"data\":1}\n");

        await using var replay = await CliRun.RunAsync(Environment, "replay", file);
        await using var missing = await CliRun.RunAsync(Environment, "replay", Path.Combine(_folder, "missing.jsonl"));

        Assert.That(await replay.Exit, Is.EqualTo(2));
        Assert.That(replay.Error.Text, Does.Contain("line 1 is not a DataNet recording header"));
        Assert.That(await missing.Exit, Is.EqualTo(2));
        Assert.That(missing.Error.Text, Does.Contain("cannot read"));
    }

    [TestCase("--speed", "0", "--speed: give a number above 0")]
    [TestCase("--loop", "0", "--loop: '0' is not a number of passes")]
    [TestCase("--from", "soon", "--from: 'soon' is not a duration")]
    [TestCase("--map", "a=b*", "--map 'a=b*': a prefix rule has * at the end of both sides")]
    public async Task BadReplayOptionsAreUsageErrors(string option, string value, string message)
    {
        var file = Path.Combine(_folder, "ok.jsonl");
        await File.WriteAllTextAsync(file, Recording("""{"t":0,"ch":"opt.ch","d":1}"""));

        await using var replay = await CliRun.RunAsync(Environment, "replay", file, option, value);

        Assert.That(await replay.Exit, Is.EqualTo(2), replay.ToString());
        Assert.That(replay.Error.Text, Does.Contain(message));
    }

    private static string Recording(params string[] lines)
    {
        var text = new StringBuilder("{\"format\":\"datanet-recording\",\"version\":1,\"startedAt\":\"2026-12-04T19:00:00.000Z\",\"channels\":[],\"gateway\":\"ws://127.0.0.1:8080\"}\n");
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static Task WaitUntilRecordingAsync(CliRun record) =>
        Eventually.TrueAsync(() => record.Error.Text.Contains("Recording ", StringComparison.Ordinal) || record.Exit.IsCompleted, because: "record announces itself");
}
