using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;

namespace DataNet.Gateway.Tests.Web;

/// <summary>
/// Debian's headless Chromium, driven over the Chrome DevTools Protocol: started with
/// <c>--remote-debugging-port=0</c>, its port read from <c>DevToolsActivePort</c> in a fresh profile folder, then one
/// <see cref="DevToolsSession"/> on its blank page. Missing Chromium fails the test with how to install it: CI
/// installs it (.ci/run), so a browser test must never skip quietly.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Overrides where Chromium is looked for.</summary>
    public const string PathVariable = "DATANET_CHROMIUM";

    private static readonly string[] Candidates =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    private readonly Process _process;
    private readonly string _profile;

    private HeadlessChromium(Process process, string profile, DevToolsSession page)
    {
        _process = process;
        _profile = profile;
        Page = page;
    }

    /// <summary>The blank page the browser opened with.</summary>
    public DevToolsSession Page { get; }

    public static async Task<HeadlessChromium> StartAsync()
    {
        var executable = Find();
        if (executable is null)
        {
            Assert.Fail("Headless Chromium is needed for the web page's browser test and was not found. Install it: " +
                "`sudo apt-get install -y chromium` on Debian or Ubuntu (.ci/run does this on CI), or set " +
                $"{PathVariable} to a Chromium or Chrome executable.");
        }
        var profile = Directory.CreateTempSubdirectory("datanet-chromium-").FullName;
        var start = new ProcessStartInfo(executable!)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The network flags keep Chromium from calling home: the machine has no internet, and the page needs none.
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--mute-audio", "--hide-scrollbars", "--window-size=1280,1100",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var errors = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && errors.Count < 50)
            {
                errors.Enqueue(line);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            await Eventually.TrueAsync(() => File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2 || process.HasExited,
                TimeSpan.FromSeconds(30), "Chromium writes DevToolsActivePort");
            if (process.HasExited)
            {
                Assert.Fail($"{executable} exited with code {process.ExitCode} at start: {string.Join(" | ", errors)}");
            }
            var port = int.Parse(File.ReadAllLines(portFile)[0], System.Globalization.CultureInfo.InvariantCulture);
            Uri? page = null;
            await Eventually.TrueAsync(async () => (page = await PageTargetAsync(port)) is not null, because: "Chromium lists its blank page");
            return new HeadlessChromium(process, profile, await DevToolsSession.ConnectAsync(page!));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> in the page (returns once navigation started; poll the page for what it shows).</summary>
    public Task NavigateAsync(Uri url) => Page.SendAsync("Page.navigate", new { url = url.ToString() });

    /// <summary>A PNG of the whole page, not just the window.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await Page.SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true });
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await Page.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A file Chromium's helpers still hold; the temp folder is cleaned by the OS.
        }
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }
        return Candidates.FirstOrDefault(File.Exists);
    }

    private static async Task<Uri?> PageTargetAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var targets = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")));
        return targets.RootElement.EnumerateArray()
            .Where(t => t.GetProperty("type").GetString() == "page")
            .Select(t => new Uri(t.GetProperty("webSocketDebuggerUrl").GetString()!))
            .FirstOrDefault();
    }
}
