using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace DataNet.Td.Tests.Support;

/// <summary>
/// A gateway running as a separate program, started the one way every such test starts it (<see cref="Start"/>:
/// repoint that method when the gateway's command line moves). Its output is drained in the background so its
/// logging can never block it on a full pipe.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const string ReadyPrefix = "DataNet gateway listening on ";

    // Starting a .NET process on a busy 2-core CI machine can take seconds; this only bounds a failure.
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Task? _draining;

    private GatewayProcess(Process process) => Process = process;

    /// <summary>The program.</summary>
    public Process Process { get; }

    /// <summary>REST base URL it printed, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>WebSocket base URL (same host and port).</summary>
    public Uri WsUrl => new($"ws://{ApiUrl.Authority}");

    /// <summary>Everything it printed on stdout so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the gateway program with <paramref name="args"/>, output redirected. The only launch of it in the tests.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DataNet.Gateway.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Starts it with <paramref name="args"/> and returns once it printed its URL.</summary>
    public static async Task<GatewayProcess> StartReadyAsync(params string[] args)
    {
        var gateway = new GatewayProcess(Start(args));
        try
        {
            var ready = await Eventually.CompletesAsync(gateway.ReadUntilReadyAsync(), StartDeadline,
                because: "the gateway program should print its URL once listening");
            gateway.ApiUrl = new Uri(ready[ReadyPrefix.Length..ready.IndexOf(' ', ReadyPrefix.Length)]);
            gateway._draining = Task.WhenAll(gateway.DrainAsync(gateway.Process.StandardOutput), gateway.DrainAsync(gateway.Process.StandardError));
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the program if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
            await Process.WaitForExitAsync();
        }
        if (_draining is not null)
        {
            await _draining;
        }
        Process.Dispose();
    }

    private async Task<string> ReadUntilReadyAsync()
    {
        while (await Process.StandardOutput.ReadLineAsync() is { } line)
        {
            Append(line);
            if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
        throw new EndOfStreamException("The gateway ended without printing its URL: " + await Process.StandardError.ReadToEndAsync());
    }

    private async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            Append(line);
        }
    }

    private void Append(string line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
