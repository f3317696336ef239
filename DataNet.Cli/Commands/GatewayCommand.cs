using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Gateway;

namespace DataNet.Cli.Commands;

/// <summary><c>datanet gateway</c>: the local DataNet-compatible gateway, until Ctrl-C.</summary>
internal static class GatewayCommand
{
    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port", "-p")
        {
            Description = "TCP port (0 picks a free one).",
            DefaultValueFactory = _ => 8080,
        };
        var config = new Option<FileInfo?>("--config")
        {
            Description = "JSON file with keys, projects, scopes, channel prefixes, channels and limits (default: any ak_ key works).",
        };
        var bind = new Option<string>("--bind")
        {
            Description = "Address to listen on; anything but loopback exposes the gateway to the network.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var quiet = new Option<bool>("--quiet", "-q")
        {
            Description = "Do not log connections, subscriptions and errors (logged by default, without keys or tokens).",
        };
        var command = new Command("gateway", "Run the local gateway (http://127.0.0.1:8080, ws://127.0.0.1:8080/ws) until Ctrl-C.")
        {
            port, config, bind, quiet,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            console,
            new GatewayOptions
            {
                Port = PortOption.Validate(parseResult.GetValue(port)),
                ConfigPath = ConfigPath(parseResult.GetValue(config)),
                BindAddress = parseResult.GetValue(bind) ?? "127.0.0.1",
                LogToConsole = !parseResult.GetValue(quiet),
            },
            cancellationToken));
        return command;
    }

    /// <summary>Starts a gateway, or fails with one line naming the cause (port in use, bad config).</summary>
    public static async Task<LocalGateway> StartAsync(GatewayOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await LocalGateway.StartAsync(options, cancellationToken);
        }
        catch (InvalidOperationException e) when (e.InnerException is IOException)
        {
            // LocalGateway reports a port in use as "Cannot listen on ADDRESS:PORT: ..." around the IOException.
            throw new CliException(
                $"{e.Message.TrimEnd('.')}: stop the other program or pick another --port",
                ExitCodes.Failure);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
        {
            // Invalid config file or bind address: the gateway's message names the field.
            var source = options.ConfigPath is null ? "gateway" : $"--config {options.ConfigPath}";
            throw new CliException($"{source}: {e.Message.TrimEnd('.')}", ExitCodes.Usage);
        }
    }

    private static async Task<int> RunAsync(CliConsole console, GatewayOptions options, CancellationToken cancellationToken)
    {
        if (!IsLoopback(options.BindAddress))
        {
            await console.Error.WriteLineAsync(
                $"datanet: warning: listening on {options.BindAddress}, not loopback: anyone who can reach this machine can use the gateway.");
        }

        await using var gateway = await StartAsync(options, cancellationToken);
        var output = console.Output;
        await output.WriteLineAsync($"DataNet local gateway on {gateway.ApiUrl.ToString().TrimEnd('/')} (WebSocket {gateway.WsUrl.ToString().TrimEnd('/')}/ws)");
        await output.WriteLineAsync(options.ConfigPath is null
            ? "Any API key starting with ak_ is accepted (project 'local', all scopes, no limits)."
            : $"Keys, scopes and limits from {options.ConfigPath}.");
        await output.WriteLineAsync("Press Ctrl-C to stop.");
        await output.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: fall through to a clean stop.
        }

        await gateway.StopAsync();
        await output.WriteLineAsync("Gateway stopped.");
        return ExitCodes.Ok;
    }

    private static bool IsLoopback(string address) =>
        string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));

    private static string? ConfigPath(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        if (!file.Exists)
        {
            throw new CliException($"--config: no such file: {file.FullName}", ExitCodes.Usage);
        }

        return file.FullName;
    }
}
