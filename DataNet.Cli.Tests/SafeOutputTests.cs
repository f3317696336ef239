using System.Text.Json;

namespace DataNet.Cli.Tests;

/// <summary>What a peer or a server controls reaches the terminal with its control characters made visible.</summary>
[TestFixture]
public sealed class SafeOutputTests : CliGatewayFixture
{
    // ESC ] 0 ; title BEL sets the terminal title; ESC [ 2 J clears the screen; U+009B is the 8-bit CSI.
    private const string HostileFrom = "evil\\u001b]0;pwned\\u0007\\u001b[2J";

    [Test]
    public async Task TextModeShowsEscapesInFromAndDataVisibly()
    {
        await using var sub = CliRun.Start(Environment, "sub", "cli.safe.text", "--count", "1");
        await PubSubCommandTests.WaitUntilListeningAsync(sub);

        await Gateway.Faults.InjectTextFrameAsync(
            "{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"cli.safe.text\",\"d\":\"a\u009b2Jb\",\"ts\":1,\"from\":\"" + HostileFrom + "\"}");

        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
        Assert.That(sub.Output.Text.IndexOfAny(['\u001b', '\u0007', '\u009b']), Is.EqualTo(-1), sub.ToString());
        Assert.That(sub.Output.Text, Does.Contain("evil\\x1B]0;pwned\\x07\\x1B[2J").And.Contain("a\\x9B2Jb"), sub.ToString());
    }

    [Test]
    public async Task JsonModeStaysExactJsonWithNothingATerminalActsOn()
    {
        await using var sub = CliRun.Start(Environment, "sub", "cli.safe.json", "--json", "--count", "1");
        await PubSubCommandTests.WaitUntilListeningAsync(sub);

        await Gateway.Faults.InjectTextFrameAsync(
            "{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"cli.safe.json\",\"d\":{\"s\":\"a\u009b2J\u2028b\"},\"ts\":1,\"from\":\"" + HostileFrom + "\"}");

        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
        var line = sub.Output.Text.Trim();
        // Ordinal: culture-aware comparisons ignore control characters.
        Assert.That(line.IndexOfAny(['\u001b', '\u0007', '\u009b', '\u2028']), Is.EqualTo(-1), line);
        using var document = JsonDocument.Parse(line);
        Assert.That(document.RootElement.GetProperty("from").GetString(), Is.EqualTo("evil\u001b]0;pwned\u0007\u001b[2J"), "the same value, escaped");
        Assert.That(document.RootElement.GetProperty("data").GetProperty("s").GetString(), Is.EqualTo("a\u009b2J\u2028b"));
    }

    [Test]
    public async Task ServerErrorTextIsOneLineWithEscapesVisible()
    {
        await using var sub = CliRun.Start(Environment, "sub", "cli.safe.error");
        await PubSubCommandTests.WaitUntilListeningAsync(sub);

        await Gateway.Faults.InjectTextFrameAsync(
            "{\"type\":\"error\",\"error\":\"channel_not_allowed\",\"channel\":\"cli\\u001b]0;x\\u0007\\nsecond line\"}");

        Assert.That(await sub.WaitAsync(), Is.EqualTo(1), sub.ToString());
        var error = sub.Error.Text.Substring(sub.Error.Text.IndexOf("datanet:", StringComparison.Ordinal));
        Assert.That(error.IndexOfAny(['\u001b', '\u0007']), Is.EqualTo(-1), sub.ToString());
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), sub.ToString());
        Assert.That(error, Does.Contain("channel not allowed on cli\\x1B]0;x\\x07\\nsecond line"), sub.ToString());
    }
}
