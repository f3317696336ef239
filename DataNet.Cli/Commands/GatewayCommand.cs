using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.GatewayHost;
using DataNet.Cli.Hosting;
using DataNet.Gateway;

namespace DataNet.Cli.Commands;

/// <summary>
/// <c>datanet gateway</c>: the one way to run the local DataNet-compatible gateway as a program, until
/// Ctrl-C or SIGTERM. Every option of <see cref="GatewayOptions"/> a person needs is here
/// (<see cref="GatewayCommandOptions"/>); tests, the demo and the benchmarks host the same library in process.
/// </summary>
internal static class GatewayCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new GatewayCommandOptions();
        var command = new Command(
            "gateway",
            "Run the local gateway (API http://127.0.0.1:8080, WebSocket ws://127.0.0.1:8080/ws) until Ctrl-C.");
        options.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(console, options.ToGatewayOptions(parseResult), cancellationToken));
        return command;
    }

    /// <summary>Starts a gateway, or fails with one line naming the cause (port in use, bad config, bad key file).</summary>
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
            // Invalid config file, bind address or key file: the gateway's message names the field (and the file).
            var message = e.Message.TrimEnd('.');
            var named = options.ConfigPath is null || message.Contains(options.ConfigPath, StringComparison.Ordinal);
            throw new CliException(named ? message : $"--config {options.ConfigPath}: {message}", ExitCodes.Usage);
        }
    }

    private static async Task<int> RunAsync(CliConsole console, GatewayOptions options, CancellationToken cancellationToken)
    {
        if (!IsLoopback(options.BindAddress))
        {
            if (options.FaultControlsOverHttp)
            {
                // Anyone who reaches the port could drop, silence or revoke every client.
                throw new CliException(
                    $"--fault-controls is served on a loopback --bind only, not on {options.BindAddress}", ExitCodes.Usage);
            }

            await console.Error.WriteLineAsync(
                $"datanet: warning: listening on {options.BindAddress}, not loopback: anyone who can reach this machine can use the gateway.");
        }

        await using var gateway = await StartAsync(options, cancellationToken);
        await GatewayBanner.WriteAsync(console.Output, gateway, options);
        await console.Output.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: fall through to a clean stop.
        }

        await gateway.StopAsync();
        await console.Output.WriteLineAsync("Gateway stopped.");
        return ExitCodes.Ok;
    }

    /// <summary>True for <c>localhost</c> and loopback IP addresses: the gateway then serves this machine only.</summary>
    internal static bool IsLoopback(string address) =>
        string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));
}
