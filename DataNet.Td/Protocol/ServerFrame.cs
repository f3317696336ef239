namespace DataNet.Td.Protocol;

internal enum ServerFrameKind
{
    Connected,
    Message,
    SubAck,
    UnsubAck,
    HeartbeatAck,
    Error,
    Ignored,
    Malformed,
    RawBinary,
    TooLarge,
}

/// <summary>
/// One decoded server frame. A struct: a frame lives only while the socket thread hands it on, so decoding one costs
/// no allocation beyond the message it may carry.
/// </summary>
internal readonly struct ServerFrame
{
    private ServerFrame(ServerFrameKind kind) => Kind = kind;

    public ServerFrameKind Kind { get; }

    public DataNetMessage? Message { get; private init; }

    public DataNetError? Error { get; private init; }

    public string? Channel { get; private init; }

    public int? Occupancy { get; private init; }

    /// <summary>Why the frame was malformed, ignored or too large: plain words, never the frame's own text.</summary>
    public string? Reason { get; private init; }

    public byte[]? RawBytes { get; private init; }

    public static ServerFrame Connected() => new(ServerFrameKind.Connected);

    public static ServerFrame ForMessage(DataNetMessage message) => new(ServerFrameKind.Message) { Message = message, Channel = message.Channel };

    public static ServerFrame SubAck(string? channel, int? occupancy) => new(ServerFrameKind.SubAck) { Channel = channel, Occupancy = occupancy };

    public static ServerFrame UnsubAck(string? channel) => new(ServerFrameKind.UnsubAck) { Channel = channel };

    public static ServerFrame HeartbeatAck() => new(ServerFrameKind.HeartbeatAck);

    public static ServerFrame ForError(DataNetError error) => new(ServerFrameKind.Error) { Error = error, Channel = error.Channel };

    public static ServerFrame Ignored(string reason) => new(ServerFrameKind.Ignored) { Reason = reason };

    public static ServerFrame Malformed(string reason) => new(ServerFrameKind.Malformed) { Reason = reason };

    public static ServerFrame RawBinary(byte[] bytes) => new(ServerFrameKind.RawBinary) { RawBytes = bytes };

    public static ServerFrame TooLarge(string reason) => new(ServerFrameKind.TooLarge) { Reason = reason };
}
