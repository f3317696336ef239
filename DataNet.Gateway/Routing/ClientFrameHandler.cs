using System;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using System.Text.Json;
using System.Threading.Tasks;
using DataNet.Gateway.Delivery;
using DataNet.Gateway.Limits;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Protocol;
using DataNet.Gateway.Sockets;
using DataNet.Gateway.Web;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway.Routing;

/// <summary>
/// Handles one client frame: <c>sub</c>, <c>unsub</c>, <c>pub</c> or <c>hb</c>. Anything else (bytes that are not
/// UTF-8, JSON that is not an envelope, strings with broken escapes) gets an <c>invalid_message</c> error envelope,
/// is counted, and the connection stays up. Fan-out never waits for a subscriber.
/// </summary>
internal sealed class ClientFrameHandler(
    ChannelRouter router, ChannelAccess access, PublishRateLimits rateLimits, GatewayConfig config, GatewayCounters counters,
    TimeProvider clock, ILogger logger, ChannelActivity? activity)
{
    private const string DefaultContentType = "application/octet-stream";

    public async ValueTask HandleAsync(GatewayConnection connection, ReadOnlyMemory<byte> frame)
    {
        // Binary frames are not checked by the WebSocket layer, and JSON strings are not checked by the parser:
        // without this, bytes that are not UTF-8 would be relayed in text frames and kill every subscriber (1007).
        if (!Utf8.IsValid(frame.Span))
        {
            await RejectAsync(connection, ServerError.InvalidMessage("frame is not valid UTF-8")).ConfigureAwait(false);
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            await RejectAsync(connection, ServerError.InvalidMessage("frame is not valid JSON")).ConfigureAwait(false);
            return;
        }
        ServerError? error;
        using (document)
        {
            try
            {
                error = await DispatchAsync(connection, document.RootElement).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // GetString() refuses an escaped unpaired surrogate ("\ud800") in ch, ct or b64.
                error = ServerError.InvalidMessage("a string holds an invalid escape (unpaired surrogate)");
            }
        }
        if (error is not null)
        {
            await RejectAsync(connection, error).ConfigureAwait(false);
        }
    }

    private async ValueTask<ServerError?> DispatchAsync(GatewayConnection connection, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ServerError.InvalidMessage("frame must be a JSON object");
        }
        if (!root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
        {
            return ServerError.InvalidMessage("frame needs a string \"op\" (sub, unsub, pub or hb)");
        }
        if (op.ValueEquals("hb"))
        {
            await ReplyAsync(connection, ServerEnvelopes.HeartbeatAck(clock.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
            return null;
        }
        var isSub = op.ValueEquals("sub");
        var isUnsub = !isSub && op.ValueEquals("unsub");
        var isPub = !isSub && !isUnsub && op.ValueEquals("pub");
        if (!isSub && !isUnsub && !isPub)
        {
            return ServerError.InvalidMessage("unknown op (use sub, unsub, pub or hb)");
        }
        if (!root.TryGetProperty("ch", out var ch) || ch.ValueKind != JsonValueKind.String || ch.GetString() is not { Length: > 0 } channel)
        {
            return ServerError.InvalidMessage("frame needs a non-empty string \"ch\"");
        }
        if (isUnsub)
        {
            router.Unsubscribe(connection, channel);
            await ReplyAsync(connection, ServerEnvelopes.UnsubAck(channel)).ConfigureAwait(false);
            return null;
        }
        var denied = access.Check(connection.Identity, channel, isSub ? GatewayScopes.Sub : GatewayScopes.Pub);
        if (denied is not null)
        {
            return denied;
        }
        if (isSub)
        {
            var occupancy = router.Subscribe(connection, channel);
            await ReplyAsync(connection, ServerEnvelopes.SubAck(channel, occupancy)).ConfigureAwait(false);
            return null;
        }
        return await PublishAsync(connection, root, channel).ConfigureAwait(false);
    }

    private async ValueTask<ServerError?> PublishAsync(GatewayConnection connection, JsonElement root, string channel)
    {
        var projectId = connection.Identity.ProjectId;
        if (rateLimits.TryAcquire(connection.PublishWindow, projectId, config.ProjectOrDefault(projectId), channel) is { } limited)
        {
            return limited;
        }
        var ts = clock.GetUtcNow().ToUnixTimeMilliseconds();
        byte[] envelope;
        if (root.TryGetProperty("bin", out var bin) && bin.ValueKind == JsonValueKind.True)
        {
            var built = BuildBinary(root, channel, ts, connection.From, out var error);
            if (built is null)
            {
                return error;
            }
            envelope = built;
        }
        else
        {
            // A pub without "d" carries null, as the SDKs read it.
            var data = root.TryGetProperty("d", out var d) ? JsonMarshal.GetRawUtf8Value(d) : "null"u8;
            envelope = ServerEnvelopes.Message(channel, data, ts, connection.From);
        }
        FanOut(connection, channel, envelope);
        activity?.Published(projectId, channel, envelope);
        return null;
    }

    private static byte[]? BuildBinary(JsonElement root, string channel, long ts, string from, out ServerError? error)
    {
        error = null;
        if (!root.TryGetProperty("b64", out var b64) || b64.ValueKind != JsonValueKind.String
            || b64.GetString() is not { } base64 || !Base64.IsValid(base64, out var byteCount))
        {
            error = ServerError.InvalidMessage("binary pub needs \"b64\": standard base64 with padding");
            return null;
        }
        var contentType = DefaultContentType;
        if (root.TryGetProperty("ct", out var ct))
        {
            if (ct.ValueKind != JsonValueKind.String || ct.GetString() is not { Length: > 0 } given)
            {
                error = ServerError.InvalidMessage("\"ct\" must be a non-empty string");
                return null;
            }
            contentType = given;
        }
        ReadOnlySpan<byte> meta = default;
        if (root.TryGetProperty("meta", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            if (m.ValueKind != JsonValueKind.Object)
            {
                error = ServerError.InvalidMessage("\"meta\" must be a JSON object");
                return null;
            }
            meta = JsonMarshal.GetRawUtf8Value(m);
        }
        return ServerEnvelopes.BinaryMessage(channel, base64, contentType, byteCount, ts, from, meta);
    }

    /// <summary>Queues the message for every subscriber without waiting; a full outbox drops for that subscriber only.</summary>
    private void FanOut(GatewayConnection publisher, string channel, byte[] envelope)
    {
        // One frame object shared by every subscriber: the bytes are serialised once.
        var frame = OutgoingFrame.Text(envelope);
        foreach (var subscriber in router.Subscribers(publisher.Identity.ProjectId, channel))
        {
            switch (subscriber.TryEnqueueMessage(frame, channel))
            {
                case SlowConsumerVerdict.DroppedAndNotify:
                    GatewayLog.SlowConsumerDropping(logger, subscriber.ConnId, LogText.Escape(channel));
                    break;
                case SlowConsumerVerdict.DroppedAndClose:
                    // Its outbox is full, so a close frame would never get out: end the TCP connection.
                    GatewayLog.SlowConsumerClosed(logger, subscriber.ConnId, subscriber.SlowConsumer.TotalDrops);
                    subscriber.Abort();
                    break;
            }
        }
    }

    private async ValueTask RejectAsync(GatewayConnection connection, ServerError error)
    {
        if (error.Code == ErrorCodes.InvalidMessage)
        {
            counters.InvalidMessage();
        }
        GatewayLog.ErrorSent(logger, connection.ConnId, error.Code, LogText.Escape(error.Channel));
        await ReplyAsync(connection, ServerEnvelopes.Error(error)).ConfigureAwait(false);
    }

    private static ValueTask<bool> ReplyAsync(GatewayConnection connection, byte[] envelope) =>
        connection.EnqueueAsync(OutgoingFrame.Text(envelope), connection.Aborted);
}
