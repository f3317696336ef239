using System;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using NUnit.Framework;

namespace DataNet.Testing;

/// <summary>
/// <c>datanet gateway ARGS</c> running as its own process (a <see cref="DatanetProcess"/>), started the one way every
/// such test starts it (<see cref="Start"/>), with the URLs it printed once ready. Its output is read as it comes,
/// so its logging can never block it on a full pipe.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    // Starting a .NET process on a busy 2-core CI machine can take seconds; this only bounds a failure.
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private GatewayProcess(DatanetProcess process, string banner)
    {
        Process = process;
        Banner = banner;
        ApiUrl = new Uri(Regex.Match(banner, @"API URL[^:]*: +(\S+)").Groups[1].Value);
        WsUrl = new Uri(Regex.Match(banner, @"WebSocket base[^:]*: +(\S+)").Groups[1].Value);
    }

    /// <summary>The program, its output and its exit.</summary>
    public DatanetProcess Process { get; }

    /// <summary>What it printed up to <c>Press Ctrl-C to stop.</c>: the labelled URLs.</summary>
    public string Banner { get; }

    /// <summary>REST base URL it printed, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri ApiUrl { get; }

    /// <summary>WebSocket base URL it printed (clients add <c>/ws</c>).</summary>
    public Uri WsUrl { get; }

    /// <summary>
    /// Launches <c>datanet gateway ARGS</c>: the only launch of a gateway program in the tests. Its per-user data
    /// folder (XDG_CONFIG_HOME, where it keeps the signing key) is <paramref name="userDataFolder"/>, by default one
    /// in the test output, never the user's own.
    /// </summary>
    public static DatanetProcess Start(string[] args, string? userDataFolder = null) =>
        DatanetProcess.Start(["gateway", .. args], ("XDG_CONFIG_HOME", userDataFolder ?? DefaultUserDataFolder));

    /// <summary>Launches it and returns once it printed its URLs; fails with its output when it ends instead.</summary>
    public static async Task<GatewayProcess> StartReadyAsync(string[] args, string? userDataFolder = null)
    {
        var process = Start(args, userDataFolder);
        try
        {
            await Eventually.TrueAsync(
                () => process.Output.Text.Contains("Press Ctrl-C", StringComparison.Ordinal) || process.HasExited, StartDeadline,
                "the gateway program should print its URLs once listening");
            Assert.That(process.HasExited, Is.False, process.ToString());
            return new GatewayProcess(process, process.Output.Text);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Kills the program if it still runs.</summary>
    public void Dispose() => Process.Dispose();

    private static string DefaultUserDataFolder => Path.Combine(TestContext.CurrentContext.WorkDirectory, "gateway-process-data");
}
