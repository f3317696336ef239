using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Connection;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Cli.Output;
using DataNet.Td;

namespace DataNet.Cli.Commands;

/// <summary><c>datanet presence CHANNEL</c>: who is subscribed to a channel right now (REST, one request).</summary>
internal static class PresenceCommand
{
    public static Command Create(CliConsole console)
    {
        var connection = new ConnectionOptions();
        var channel = new Argument<string?>("channel")
        {
            Description = "Channel to ask about (default: $DATANET_CHANNEL).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = new Option<bool>("--json") { Description = "Print {\"channel\",\"occupancy\",\"members\"} as one JSON line." };
        var command = new Command("presence", "Show how many are subscribed to a channel, and who.") { channel, json };
        StrictArguments.RejectOptionLike(channel);
        StrictArguments.RejectBlank(channel, "channel");
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = connection.Bind(parseResult, console);
            var timeout = connection.BindTimeout(parseResult);
            var channels = ChannelResolver.Resolve(parseResult.GetValue(channel) is { } c ? [c] : null, console);
            if (channels.Length != 1)
            {
                throw new CliException("presence takes one channel", ExitCodes.Usage);
            }

            var result = await QueryAsync(settings, channels[0], timeout, cancellationToken);
            await console.Output.WriteLineAsync(parseResult.GetValue(json) ? Json(result) : Text(result));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<PresenceResult> QueryAsync(
        ConnectionSettings settings,
        string channel,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var session = new ClientSession(settings);
        await session.ConnectAsync(timeout, cancellationToken);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            return await session.Client.GetPresenceAsync(channel, deadline.Token);
        }
        catch (DataNetException e)
        {
            throw FailureMessages.FromError(e.Error, settings);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw FailureMessages.Unreachable(settings, "no presence answer in time");
        }
    }

    private static string Text(PresenceResult result)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{TerminalText.Visible(result.Channel)}: {result.Occupancy} subscribed");
        foreach (var member in result.Members)
        {
            builder.AppendLine().Append("  ").Append(TerminalText.Visible(member));
        }

        return builder.ToString();
    }

    private static string Json(PresenceResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("channel", result.Channel);
            writer.WriteNumber("occupancy", result.Occupancy);
            writer.WriteStartArray("members");
            foreach (var member in result.Members)
            {
                writer.WriteStringValue(member);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return TerminalText.SafeJson(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
