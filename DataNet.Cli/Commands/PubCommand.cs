using System;
using System.CommandLine;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Connection;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Cli.Output;
using DataNet.Cli.Pub;

namespace DataNet.Cli.Commands;

/// <summary>
/// <c>datanet pub CHANNEL JSON</c>: once, as a steady stream (<c>--rate</c>, <c>--count</c>), one message
/// per stdin line (<c>--stdin</c>), or binary lighting frames (<c>--dmx</c>, <c>--artnet</c>).
/// Everything is checked before connecting, so bad input never half-sends.
/// </summary>
internal static class PubCommand
{
    public static Command Create(CliConsole console)
    {
        var connection = new ConnectionOptions();
        var channel = new Argument<string?>("channel")
        {
            Description = "Channel to publish on (default: $DATANET_CHANNEL).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = new Argument<string?>("json")
        {
            Description = "The message: any JSON value, e.g. '{\"value\":42}'.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        StrictArguments.RejectOptionLike(channel);
        StrictArguments.RejectBlank(channel, "channel");
        StrictArguments.RejectOptionLike(json, allowNumbers: true);
        var options = new PubOptions();
        var command = new Command("pub", "Publish a JSON message, a stream of them, stdin lines, or DMX / Art-Net frames.")
        {
            channel, json,
        };
        options.AddTo(command);
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var (channelName, jsonText) = Positionals(parseResult.GetValue(channel), parseResult.GetValue(json), options.IsStdin(parseResult) || options.HasDmx(parseResult), console);
            var request = new Request(
                connection.Bind(parseResult, console),
                connection.BindTimeout(parseResult),
                channelName,
                options.Bind(parseResult, jsonText));
            return RunAsync(console, request, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// CHANNEL may come from <c>DATANET_CHANNEL</c>: then a lone positional is the JSON, unless the
    /// message comes from --stdin or --dmx.
    /// </summary>
    private static (string Channel, string? Json) Positionals(string? first, string? second, bool payloadFromOption, CliConsole console)
    {
        var fromEnvironment = console.GetEnvironmentVariable(EnvironmentVariables.Channel);
        if (first is not null && second is null && !payloadFromOption)
        {
            // One positional: the message for DATANET_CHANNEL, or a message without a channel, or a channel without a message.
            return fromEnvironment is not null
                ? (fromEnvironment, first)
                : throw new CliException(
                    JsonPayload.TryValidate(first, out _)
                        ? $"no channel for this message: datanet pub CHANNEL JSON (or set {EnvironmentVariables.Channel})"
                        : "nothing to publish: give a JSON message after the channel, --stdin, or --dmx VALUES",
                    ExitCodes.Usage);
        }

        var channelName = first ?? fromEnvironment
            ?? throw new CliException($"no channel: give one (datanet pub demo.sensor '{{\"value\":42}}') or set {EnvironmentVariables.Channel}", ExitCodes.Usage);
        return (channelName.Trim(), second);
    }

    private static async Task<int> RunAsync(CliConsole console, Request request, CancellationToken cancellationToken)
    {
        using var session = new ClientSession(request.Settings);
        await session.ConnectAsync(request.Timeout, cancellationToken);
        var publisher = new Publisher(session, request.Channel);
        var plan = request.Plan;

        StdinPublisher? stdin = null;
        if (plan.Payload is null)
        {
            stdin = new StdinPublisher(publisher, console.Input, console.Error, request.Timeout, session.Client.Options.MaxMessageBytes);
            await stdin.RunAsync(cancellationToken);
        }
        else
        {
            await publisher.RunAsync(plan.Payload, plan.RateHz, plan.Count, request.Timeout, cancellationToken);
        }

        await publisher.FlushAsync(request.Timeout);
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"Published {publisher.Sent} message{(publisher.Sent == 1 ? string.Empty : "s")} ({plan.Payload?.Describe() ?? "JSON lines"}) to {TerminalText.Visible(request.Channel)}.");
        await console.Output.WriteLineAsync(stdin is null ? summary : $"{summary} {stdin.Summary()}");
        stdin?.ThrowIfSkipped();
        return ExitCodes.Ok;
    }

    private sealed record Request(ConnectionSettings Settings, TimeSpan Timeout, string Channel, PublishPlan Plan);
}
