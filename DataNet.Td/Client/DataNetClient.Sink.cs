using System;
using System.Threading;
using DataNet.Td.Connection;
using DataNet.Td.Protocol;
using DataNet.Td.Queues;

namespace DataNet.Td;

public sealed partial class DataNetClient
{
    private long _frames;
    private long _malformed;
    private long _ignored;
    private long _tooLarge;
    private long _gatewayErrors;
    private long _acks;
    private long _latencyBits = BitConverter.DoubleToInt64Bits(-1);
    private string _lastError = string.Empty;

    /// <summary>
    /// Every frame the server sent, from the socket thread; never calls user code. Each frame is counted in exactly one
    /// of Received (via the inbox), Ignored, Malformed, TooLarge, GatewayErrors or Acks, after Frames.
    /// </summary>
    internal void OnServerFrame(in ServerFrame frame)
    {
        Interlocked.Increment(ref _frames);
        switch (frame.Kind)
        {
            case ServerFrameKind.Message:
                var message = frame.Message!;
                if (!_subscriptions.Contains(message.Channel))
                {
                    Interlocked.Increment(ref _ignored);
                    return;
                }

                if (message.IsBinary)
                {
                    if (message.DeclaredContentType is null)
                    {
                        message.ContentType = _subscriptions.BinaryContentType(message.Channel) ?? DataNetMessage.OctetStream;
                    }
                }
                else
                {
                    // Flattened here, on the socket thread, in arrival order: TD's thread only reads the result.
                    LastValues.Apply(message.Channel, message.DataUtf8.Span);
                }

                var latency = _time.GetUtcNow().ToUnixTimeMilliseconds() - message.Timestamp;
                Interlocked.Exchange(ref _latencyBits, BitConverter.DoubleToInt64Bits(latency));
                _inbox.EnqueueMessage(message);
                break;
            case ServerFrameKind.RawBinary:
                var bytes = frame.RawBytes!;
                var channel = _subscriptions.SingleBinaryChannel(out var binaryChannels);
                if (channel is null)
                {
                    Interlocked.Increment(ref _malformed);
                    ReportError(new DataNetError(ErrorCodes.RawBinaryUnroutable, binaryChannels == 0
                        ? "A raw binary frame arrived with no binary subscription to deliver it to; ignored."
                        : $"A raw binary frame arrived with {binaryChannels} binary subscriptions active, so its channel is ambiguous; ignored."));
                    return;
                }

                var contentType = _subscriptions.BinaryContentType(channel);
                _inbox.EnqueueMessage(new DataNetMessage(channel, string.Empty, _time.GetUtcNow().ToUnixTimeMilliseconds(), bytes, contentType, bytes.Length, null, isRaw: true));
                break;
            case ServerFrameKind.Malformed:
                Interlocked.Increment(ref _malformed);
                ReportError(new DataNetError(ErrorCodes.MalformedFrame, "Ignored a frame that is not a DataNet envelope: " + frame.Reason));
                break;
            case ServerFrameKind.TooLarge:
                Interlocked.Increment(ref _tooLarge);
                ReportError(new DataNetError(ErrorCodes.FrameTooLarge, frame.Reason!));
                break;
            case ServerFrameKind.Ignored:
                Interlocked.Increment(ref _ignored);
                break;
            case ServerFrameKind.Error:
                // Reported by the connection loop (OnError), which also decides what the error means for the session.
                Interlocked.Increment(ref _gatewayErrors);
                break;
            case ServerFrameKind.SubAck:
                Interlocked.Increment(ref _acks);
                // Only for channels subscribed here: a server cannot fill the table with names nobody asked for.
                if (frame.Channel is { } acked && frame.Occupancy is { } occupancy && _subscriptions.Contains(acked))
                {
                    _occupancy.Set(acked, occupancy);
                }

                break;
            default:
                // connected, unsub_ack, hb_ack.
                Interlocked.Increment(ref _acks);
                break;
        }
    }

    private void ReportError(DataNetError error)
    {
        error = Scrub(error);
        Volatile.Write(ref _lastError, error.ToString());
        Enqueue(ClientEvent.ForError(error));
        if (error.IsFatal)
        {
            FailWaiters(new DataNetException(error));
        }
    }

    private sealed class Sink : IConnectionSink
    {
        private readonly DataNetClient _client;

        public Sink(DataNetClient client) => _client = client;

        public void OnServerFrame(in ServerFrame frame) => _client.OnServerFrame(frame);

        public void OnError(DataNetError error) => _client.ReportError(error);

        public void OnStateChanged(ConnectionState state, ConnectionState previous) =>
            _client.Enqueue(ClientEvent.StateChanged(state, previous));

        public void OnConnected(bool isReconnect)
        {
            _client.Enqueue(ClientEvent.Connected());
            _client.CompleteWaiters();
        }

        public void OnDisconnected(string reason) => _client.Enqueue(ClientEvent.Disconnected(_client.Scrub(reason)));
    }
}
