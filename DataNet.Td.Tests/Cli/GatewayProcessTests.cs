using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DataNet.Td.Tests.Gateway;
using DataNet.Td.Tests.Support;
using NUnit.Framework;

namespace DataNet.Td.Tests.Cli;

/// <summary>
/// `datanet gateway` as its own process: the labelled URLs once ready, --config, SIGTERM closing every socket
/// with 1001 and logging the stop, and tokens that stay valid when the process is started again.
/// </summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "Sends SIGTERM with /bin/kill")]
public sealed class GatewayProcessTests
{
    // Starting a .NET process on a busy 2-core CI machine can take seconds; this only bounds a failure.
    private static readonly TimeSpan ProcessDeadline = TimeSpan.FromSeconds(60);

    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "datanet-gateway-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task ServesTheConfigAndStopsOnSigtermClosingSocketsWith1001()
    {
        var config = Path.Combine(_folder, "gateway.json");
        await File.WriteAllTextAsync(config, """{ "allowDevKeys": false, "keys": { "cli-key": { "project": "cli" } } }""");
        using var gateway = await GatewayProcess.StartAsync(_folder, "--port", "0", "--config", config);

        Assert.That(gateway.Banner, Does.Match(@"API URL \(apiUrl in the SDKs, DATANET_API_URL\): +http://127\.0\.0\.1:\d+\n"));
        Assert.That(gateway.Banner, Does.Match(@"WebSocket base \(wsUrl in the SDKs, they add /ws\): +ws://127\.0\.0\.1:\d+\n"));
        Assert.That(gateway.Banner, Does.Match(@"WebSocket endpoint \(full URL\): +ws://127\.0\.0\.1:\d+/ws\n"));
        var token = await TokenAsync(gateway.ApiUrl, "cli-key");
        Assert.That(Jwt.Payload(token).GetProperty("pid").GetString(), Is.EqualTo("cli"), "--config was read");
        var (socket, _) = await RawSocket.ConnectAsync(gateway.WsUrl, token);
        using (socket)
        {
            gateway.Signal("TERM");

            var close = await socket.ReceiveAsync(TimeSpan.FromSeconds(30));
            Assert.That(close.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable), "1001 going away");
        }

        Assert.That(await gateway.WaitAsync(), Is.Zero, gateway.ToString());
        Assert.That(gateway.Output, Does.Contain("Gateway stopping: closing 1 connection(s) with 1001"), gateway.ToString());
        Assert.That(gateway.Output, Does.Match(@"Connection conn_1 closed \(gateway stopping\)"), gateway.ToString());
        Assert.That(gateway.Output, Does.Contain("Gateway stopped."));
        Assert.That(gateway.Output + gateway.Error, Does.Not.Contain(token.Split('.')[2]), "no token in the log");
    }

    [Test]
    public async Task ATokenFromBeforeARestartOfTheProcessIsStillAccepted()
    {
        string token;
        int port;
        using (var first = await GatewayProcess.StartAsync(_folder, "--port", "0"))
        {
            token = await TokenAsync(first.ApiUrl, "ak_saved");
            port = first.ApiUrl.Port;
            first.Signal("TERM");
            Assert.That(await first.WaitAsync(), Is.Zero, first.ToString());
        }

        // The signing key lives in the per-user data folder (here under XDG_CONFIG_HOME): a new process uses it again.
        Assert.That(Directory.GetFiles(_folder, "gateway-signing-key", SearchOption.AllDirectories), Has.Length.EqualTo(1));
        using var second = await GatewayProcess.StartAsync(_folder, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (socket, connected) = await RawSocket.ConnectAsync(second.WsUrl, token);
        using (socket)
        {
            Assert.That(connected, Does.StartWith("{\"type\":\"connected\""), "the saved token is accepted");
        }
    }

    [Test]
    public async Task APortInUseIsOneLineWithoutAStackTrace()
    {
        using var first = await GatewayProcess.StartAsync(_folder, "--port", "0");
        using var second = GatewayProcess.Launch(_folder, "--port", first.ApiUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(await second.WaitAsync(), Is.EqualTo(1), second.ToString());
        Assert.That(second.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), second.ToString());
        Assert.That(second.Error, Does.StartWith("datanet: Cannot listen on 127.0.0.1:"));
        Assert.That(second.Output + second.Error, Does.Not.Contain("   at ").And.Not.Contain("Exception"), second.ToString());
    }

    private static async Task<string> TokenAsync(Uri apiUrl, string key)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(apiUrl, "/auth/token"),
            new StringContent($$"""{"apiKey":"{{key}}"}""", Encoding.UTF8, "application/json"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>`dotnet datanet.dll gateway ARGS` with its per-user data folder in a test folder.</summary>
    private sealed class GatewayProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _error = new();

        private GatewayProcess(string dataFolder, string[] args)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "datanet.dll"));
            start.ArgumentList.Add("gateway");
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["XDG_CONFIG_HOME"] = dataFolder;
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
            _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output => Read(_output);

        public string Error => Read(_error);

        public string Banner { get; private set; } = string.Empty;

        public Uri ApiUrl { get; private set; } = new("http://unset");

        public Uri WsUrl { get; private set; } = new("ws://unset");

        public static GatewayProcess Launch(string dataFolder, params string[] args) => new(dataFolder, args);

        /// <summary>Starts it and returns once it printed its URLs.</summary>
        public static async Task<GatewayProcess> StartAsync(string dataFolder, params string[] args)
        {
            var gateway = Launch(dataFolder, args);
            await Eventually.TrueAsync(() => gateway.Output.Contains("Press Ctrl-C", StringComparison.Ordinal) || gateway._process.HasExited, ProcessDeadline, "the gateway prints its URLs");
            Assert.That(gateway._process.HasExited, Is.False, gateway.ToString());
            gateway.Banner = gateway.Output;
            gateway.ApiUrl = new Uri(Regex.Match(gateway.Banner, @"API URL[^:]*: +(\S+)").Groups[1].Value);
            gateway.WsUrl = new Uri(Regex.Match(gateway.Banner, @"WebSocket base[^:]*: +(\S+)").Groups[1].Value);
            return gateway;
        }

        public void Signal(string name)
        {
            using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        public async Task<int> WaitAsync()
        {
            await _process.WaitForExitAsync().WaitAsync(ProcessDeadline);
            _process.WaitForExit(); // drains the redirected streams
            return _process.ExitCode;
        }

        public override string ToString() => $"--- stdout ---\n{Output}\n--- stderr ---\n{Error}";

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private static void Append(StringBuilder builder, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (builder)
            {
                builder.Append(line).Append('\n');
            }
        }

        private static string Read(StringBuilder builder)
        {
            lock (builder)
            {
                return builder.ToString();
            }
        }
    }
}
