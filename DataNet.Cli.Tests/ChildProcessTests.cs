using System.Diagnostics;
using System.IO;

namespace DataNet.Cli.Tests;

/// <summary>
/// The real program as a child process: its own Main, its own console (stdout is a pipe, so no live
/// views), its own signal handling and exit codes.
/// </summary>
[TestFixture]
public sealed class ChildProcessTests : CliGatewayFixture
{
    [Test]
    public async Task DemoPrintsPlainLinesWhenPipedAndEndsByItself()
    {
        using var demo = DatanetProcess.Start("demo", "--port", "0", "--seconds", "1");

        Assert.That(await demo.WaitAsync(), Is.Zero, demo.ToString());
        Assert.That(demo.Output.Text, Does.Contain("values: project_local_env/env/t=").And.Contain("Demo ended:"), demo.ToString());
        Assert.That(demo.Output.Text, Does.Not.Contain("╭").And.Not.Contain("Script CHOP ("), "plain lines, not the live view, in a pipe");
    }

    [Test]
    public async Task BadJsonIsOneLineOnStderrAndExitCode2()
    {
        using var pub = DatanetProcess.Start("pub", "cli.child", "{\"value\":");

        Assert.That(await pub.WaitAsync(), Is.EqualTo(2), pub.ToString());
        Assert.That(pub.Output.Text, Is.Empty);
        Assert.That(pub.Error.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1), pub.ToString());
        Assert.That(pub.Error.Text, Does.StartWith("datanet: the message is not valid JSON"));
    }

    [Test]
    public async Task SigtermEndsSubCleanly()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX signals");
        using var sub = DatanetProcess.Start(["sub", "cli.child.sub", "--json"], ("DATANET_API_URL", Gateway.ApiUrl.ToString().TrimEnd('/')));
        await Eventually.TrueAsync(() => sub.Error.Text.Contains("Listening on", StringComparison.Ordinal) || sub.HasExited, TimeSpan.FromSeconds(30), "sub is listening");
        Assert.That(sub.HasExited, Is.False, sub.ToString());

        await using (var pub = await CliRun.RunAsync(Environment, "pub", "cli.child.sub", "{\"n\":1}"))
        {
            Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        }

        await Eventually.TrueAsync(() => sub.Output.Text.Contains("\"n\":1", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "sub printed the message");
        sub.Signal("TERM");

        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
    }

    [Test]
    public async Task SubEndsWhenItsReaderGoesAway()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX pipes");
        using var sub = DatanetProcess.Start(["sub", "cli.child.pipe", "--json"], readOutput: false, ("DATANET_API_URL", Gateway.ApiUrl.ToString().TrimEnd('/')));
        await Eventually.TrueAsync(() => sub.Error.Text.Contains("Listening on", StringComparison.Ordinal) || sub.HasExited, TimeSpan.FromSeconds(30), "sub is listening");
        sub.CloseOutputReader(); // as `datanet sub ... | head -1` once head has its line

        await using (var pub = await CliRun.RunAsync(Environment, "pub", "cli.child.pipe", "{\"n\":1}"))
        {
            Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        }

        // The reader has what it wanted: end quietly, as Unix tools do (no error line to confuse a pipeline).
        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
        Assert.That(sub.Error.Text, Does.Not.Contain("datanet:"), sub.ToString());
    }

    [Test]
    public async Task OutputRedirectedToAFileAddsToWhatIsThere()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX shell");
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli-redirect-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            // One file descriptor shared by the shell and datanet, as in `{ echo before; datanet --help; echo after; } > f`.
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            foreach (var arg in new[] { "-c", "{ echo before; \"$0\" \"$1\" --help; echo after; } > \"$2\"", DatanetProcess.Host, DatanetProcess.Dll, file })
            {
                start.ArgumentList.Add(arg);
            }

            using var shell = Process.Start(start)!;
            await shell.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            Assert.That(shell.ExitCode, Is.Zero);
            var text = await File.ReadAllTextAsync(file);
            Assert.That(text, Does.StartWith("before\nDescription:"), "datanet wrote after the shell's line, not over it");
            Assert.That(text, Does.EndWith("\nafter\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task CtrlCEndsTheDemoCleanly()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX signals");
        using var demo = DatanetProcess.StartInterruptible("demo", "--port", "0");
        await Eventually.TrueAsync(() => demo.Output.Text.Contains("values: project_local_env/env/t=", StringComparison.Ordinal) || demo.HasExited, TimeSpan.FromSeconds(30), "the demo shows data");
        Assert.That(demo.HasExited, Is.False, demo.ToString());

        demo.Signal("INT");

        Assert.That(await demo.WaitAsync(), Is.Zero, demo.ToString());
        Assert.That(demo.Output.Text, Does.Contain("Demo ended:"));
        Assert.That(demo.Error.Text, Is.Empty);
    }
}
