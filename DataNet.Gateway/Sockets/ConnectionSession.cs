using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Routing;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway.Sockets;

/// <summary>
/// The receive loop of one connection: reads whole messages, hands them to the
/// <see cref="ClientFrameHandler"/>, answers close frames, closes with 1009 on an oversized message,
/// and honours the silent fault.
/// </summary>
internal sealed class ConnectionSession(
    GatewayConnection connection, ClientFrameHandler frames, int maxFrameBytes, FrameRecorder? recorder, ILogger logger)
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>Runs until the peer closes, the socket fails or the connection is aborted; returns why, in plain words.</summary>
    public async Task<string> RunAsync()
    {
        var writer = Task.Run(connection.RunWriterAsync);
        var reason = "aborted";
        using var reader = new MessageReader(maxFrameBytes);
        try
        {
            reason = await ReceiveLoopAsync(reader).ConfigureAwait(false);
        }
        catch (WebSocketException e) when (e.WebSocketErrorCode is not WebSocketError.ConnectionClosedPrematurely)
        {
            // The socket layer refused the peer's data (e.g. a text frame that is not UTF-8) and queued its own close
            // (1007, 1002). Give that frame time to get out and the peer time to leave, instead of resetting the
            // connection under it.
            reason = "WebSocket protocol error";
            await WaitForPeerToLeaveAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or System.IO.IOException)
        {
            // A close frame that arrived before the TCP connection dropped still makes a clean close.
            reason = connection.Socket.CloseStatus is { } status ? ClosedByClient(status) : "connection lost (no close frame)";
        }
        finally
        {
            connection.CompleteOutbox();
            try
            {
                await writer.WaitAsync(CloseGrace).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            if (connection.Socket.State != WebSocketState.Closed)
            {
                connection.Abort();
            }
        }
        return reason;
    }

    private async Task<string> ReceiveLoopAsync(MessageReader reader)
    {
        while (true)
        {
            var outcome = await reader.ReadAsync(connection.Socket, connection.Aborted).ConfigureAwait(false);
            connection.Heard();
            if (outcome == ReadOutcome.Closed)
            {
                if (connection.IsSilent)
                {
                    return "closed by client while silent";
                }
                // Answer the peer's close (no-op when we started the close handshake ourselves).
                var status = connection.Socket.CloseStatus ?? WebSocketCloseStatus.Empty;
                connection.QueueClose(status == WebSocketCloseStatus.Empty ? WebSocketCloseStatus.NormalClosure : status, "");
                return ClosedByClient(status);
            }
            if (connection.IsSilent)
            {
                // A dead link: what was read is lost, and nothing more is read until the fault lifts.
                await connection.DiscardAndWaitAudibleAsync().WaitAsync(connection.Aborted).ConfigureAwait(false);
                continue;
            }
            if (outcome == ReadOutcome.TooBig)
            {
                GatewayLog.FrameTooBig(logger, connection.ConnId, maxFrameBytes);
                connection.QueueClose(WebSocketCloseStatus.MessageTooBig, $"frame larger than {maxFrameBytes} bytes");
                await DrainUntilClosedAsync(reader).ConfigureAwait(false);
                return "frame too big";
            }
            recorder?.Record(connection, reader.Message, reader.MessageType);
            await frames.HandleAsync(connection, reader.Message).ConfigureAwait(false);
        }
    }

    private async Task WaitForPeerToLeaveAsync()
    {
        try
        {
            await Task.Delay(CloseGrace, connection.Aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The peer left (or the gateway is stopping).
        }
    }

    /// <summary>After our close frame, reads (and ignores) until the peer's close arrives or the grace period ends.</summary>
    private async Task DrainUntilClosedAsync(MessageReader reader)
    {
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(connection.Aborted);
        grace.CancelAfter(CloseGrace);
        while (await reader.ReadAsync(connection.Socket, grace.Token).ConfigureAwait(false) != ReadOutcome.Closed)
        {
        }
    }

    /// <summary>"closed by client (1000 normal closure)": the code a client gave, in words where it is a known one.</summary>
    private static string ClosedByClient(WebSocketCloseStatus status) => status switch
    {
        WebSocketCloseStatus.NormalClosure => "closed by client (1000 normal closure)",
        WebSocketCloseStatus.EndpointUnavailable => "closed by client (1001 going away)",
        WebSocketCloseStatus.Empty => "closed by client (no status code)",
        _ => $"closed by client ({(int)status})",
    };
}
