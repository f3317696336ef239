using System;
using System.Threading;

namespace DataNet.Td;

public sealed partial class DataNetClient
{
    /// <summary>
    /// A snapshot of the counters. The inbox counters are read under one lock, so
    /// <c>Received == Dispatched + InboxBacklog + DroppedInboxOverflow</c> holds exactly in every snapshot.
    /// </summary>
    public DataNetStats Stats
    {
        get
        {
            var inbox = _inbox.Snapshot();
            var outboxDropped = _outbox.DroppedOverflow;
            return new DataNetStats
            {
                Received = inbox.Received,
                Dispatched = inbox.Dispatched,
                InboxBacklog = inbox.Backlog,
                DroppedInboxOverflow = inbox.DroppedOverflow,
                DroppedOutboxOverflow = outboxDropped,
                Dropped = inbox.DroppedOverflow + outboxDropped,
                DroppedEvents = inbox.DroppedEvents,
                Published = _connection.Published,
                RefusedByGateway = _connection.PublishesRefused,
                Unconfirmed = _connection.Unconfirmed,
                AwaitingConfirmation = _connection.AwaitingConfirmation,
                Resent = _connection.Resent,
                Queued = _outbox.Count,
                DroppedRows = _rows.DroppedTotal,
                Frames = Interlocked.Read(ref _frames),
                Malformed = Interlocked.Read(ref _malformed),
                Ignored = Interlocked.Read(ref _ignored),
                TooLarge = Interlocked.Read(ref _tooLarge),
                GatewayErrors = Interlocked.Read(ref _gatewayErrors),
                Acks = Interlocked.Read(ref _acks),
                DroppedValueFields = LastValues.DroppedFields,
                DroppedOccupancyEntries = _occupancy.Evicted,
                HandlerErrors = Interlocked.Read(ref _handlerErrors),
                Reconnects = _connection.Reconnects,
                ConnectAttempts = _connection.ConnectAttempts,
                HeartbeatsSent = _connection.HeartbeatsSent,
                TokenRequests = _tokenClient.Sent,
                LastError = Volatile.Read(ref _lastError),
                LatencyMs = BitConverter.Int64BitsToDouble(Interlocked.Read(ref _latencyBits)),
            };
        }
    }
}
