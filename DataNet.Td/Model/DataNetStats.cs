namespace DataNet.Td;

/// <summary>
/// A consistent snapshot of the client's counters. Invariant (exact at any moment):
/// <c>Received == Dispatched + InboxBacklog + DroppedInboxOverflow</c>. Every frame the server sends is counted once
/// in <see cref="Frames"/> and once in exactly one of <see cref="Received"/>, <see cref="Ignored"/>,
/// <see cref="Malformed"/>, <see cref="TooLarge"/>, <see cref="GatewayErrors"/> or <see cref="Acks"/>, so
/// <c>Frames == Received + Ignored + Malformed + TooLarge + GatewayErrors + Acks</c> whenever no frame is in hand.
/// </summary>
public sealed class DataNetStats
{
    /// <summary>Messages accepted into the inbox (JSON and binary envelopes, routed raw frames).</summary>
    public long Received { get; internal init; }

    /// <summary>Messages taken from the inbox by Poll.</summary>
    public long Dispatched { get; internal init; }

    /// <summary>
    /// Publishes handed to the socket: counted as each leaves the outbox (so it is never in neither count); a write that
    /// fails on a broken socket puts it back in the outbox and takes it out of this count.
    /// </summary>
    public long Published { get; internal init; }

    /// <summary>
    /// Publishes the gateway refused after they were written (counted in <see cref="Published"/> too, never delivered):
    /// <c>rate_limited</c>, and errors about a <c>pub</c> (<c>insufficient_scope</c>, <c>channel_not_provisioned</c>,
    /// <c>channel_not_allowed</c>, <c>topic_limit_reached</c>). Each was also reported as an error.
    /// </summary>
    public long RefusedByGateway { get; internal init; }

    /// <summary>
    /// Publishes written to a connection that ended before a heartbeat sent after them was answered: they may have
    /// been lost in flight (a killed gateway, a pulled cable). Counted in <see cref="Published"/> too.
    /// </summary>
    public long Unconfirmed { get; internal init; }

    /// <summary>
    /// Publishes handed to the live connection that no <c>hb_ack</c> has confirmed yet. The gateway handles a
    /// connection's frames in order, so the answer to a heartbeat sent after a publish confirms it; while any await
    /// confirmation a heartbeat goes at least once a second. 0 with <see cref="Queued"/> 0: every publish so far
    /// reached the gateway, or was counted in <see cref="Unconfirmed"/> (or refused, in <see cref="RefusedByGateway"/>).
    /// A program about to exit waits for this before it disposes the client.
    /// </summary>
    public long AwaitingConfirmation { get; internal init; }

    /// <summary>Of <see cref="Unconfirmed"/>, publishes queued again (<see cref="DataNetOptions.ResendUnconfirmed"/>).</summary>
    public long Resent { get; internal init; }

    /// <summary>Publishes waiting in the outbox now (offline, handshaking or rate limited).</summary>
    public long Queued { get; internal init; }

    /// <summary>Messages waiting in the inbox now.</summary>
    public long InboxBacklog { get; internal init; }

    /// <summary>Messages lost to overflow: <see cref="DroppedInboxOverflow"/> + <see cref="DroppedOutboxOverflow"/>.</summary>
    public long Dropped { get; internal init; }

    /// <summary>Received messages dropped because the inbox was full.</summary>
    public long DroppedInboxOverflow { get; internal init; }

    /// <summary>Publishes dropped because the outbox was full.</summary>
    public long DroppedOutboxOverflow { get; internal init; }

    /// <summary>Rows dropped because nobody took them before <see cref="DataNetOptions.RowCapacity"/> was reached.</summary>
    public long DroppedRows { get; internal init; }

    /// <summary>Frames received from the server, of every kind (see the identity above).</summary>
    public long Frames { get; internal init; }

    /// <summary>
    /// Frames that were not valid envelopes (not JSON, not an object, no or a non-string <c>type</c>, a message without
    /// a channel, invalid base64), and raw binary frames with no single binary channel to go to. Each was also reported
    /// as a <c>malformed_frame</c> (or <c>raw_binary_unroutable</c>) error saying why.
    /// </summary>
    public long Malformed { get; internal init; }

    /// <summary>
    /// Well-formed frames not delivered: messages for channels with no subscription (in flight after an unsubscribe),
    /// messages before the gateway's <c>connected</c>, and frame types this client does not know. Not counted as received.
    /// </summary>
    public long Ignored { get; internal init; }

    /// <summary>Frames over <see cref="DataNetOptions.MaxReceiveFrameBytes"/>, read through and thrown away (each reported as <c>frame_too_large</c>).</summary>
    public long TooLarge { get; internal init; }

    /// <summary><c>{"type":"error"}</c> frames from the gateway (each reported as an error with its code).</summary>
    public long GatewayErrors { get; internal init; }

    /// <summary>Control frames: <c>connected</c>, <c>sub_ack</c>, <c>unsub_ack</c>, <c>hb_ack</c>.</summary>
    public long Acks { get; internal init; }

    /// <summary>Numeric fields evicted from (or never stored in) <see cref="DataNetClient.LastValues"/> to keep it within its cap.</summary>
    public long DroppedValueFields { get; internal init; }

    /// <summary>Occupancy entries (from <c>sub_ack</c>) evicted to keep that table within 1,024 channels.</summary>
    public long DroppedOccupancyEntries { get; internal init; }

    /// <summary>Handler invocations that threw.</summary>
    public long HandlerErrors { get; internal init; }

    /// <summary>Successful connections after the first one.</summary>
    public long Reconnects { get; internal init; }

    /// <summary>Connection attempts (each auth + socket + handshake try).</summary>
    public long ConnectAttempts { get; internal init; }

    /// <summary>Heartbeats (<c>{"op":"hb"}</c>) sent.</summary>
    public long HeartbeatsSent { get; internal init; }

    /// <summary>Token requests sent to <c>/auth/token</c>.</summary>
    public long TokenRequests { get; internal init; }

    /// <summary>Lifecycle events dropped because Poll was not called for a long time (the event queue holds 1 024).</summary>
    public long DroppedEvents { get; internal init; }

    /// <summary>The newest error, as "code: message"; empty when there was none.</summary>
    public string LastError { get; internal init; } = string.Empty;

    /// <summary>Newest end-to-end latency in ms (local wall clock minus the message's <c>ts</c>); -1 before any message.</summary>
    public double LatencyMs { get; internal init; } = -1;

    /// <inheritdoc />
    public override string ToString() =>
        $"received {Received}, dispatched {Dispatched}, backlog {InboxBacklog}, published {Published}, refused {RefusedByGateway}, unconfirmed {Unconfirmed}, resent {Resent}, queued {Queued}, " +
        $"dropped {Dropped} (inbox {DroppedInboxOverflow}, outbox {DroppedOutboxOverflow}), rows dropped {DroppedRows}, " +
        $"frames {Frames}, malformed {Malformed}, ignored {Ignored}, too large {TooLarge}, handler errors {HandlerErrors}, reconnects {Reconnects}";
}
