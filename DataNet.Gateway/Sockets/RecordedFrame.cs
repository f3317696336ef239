using System;
using System.Text;

namespace DataNet.Gateway;

/// <summary>
/// One client frame the gateway read and handled (recorded only with
/// <see cref="GatewayOptions.RecordClientFrames"/>), so tests can check exactly what a client sent.
/// </summary>
/// <param name="ConnId">The connection that sent it.</param>
/// <param name="DeviceId">The deviceId of its token, or null.</param>
/// <param name="IsBinary">True for a binary WebSocket frame.</param>
/// <param name="Bytes">The whole message, as received.</param>
/// <param name="ReceivedAt">When the gateway read it, on its clock (<see cref="GatewayOptions.TimeProvider"/>).</param>
public sealed record RecordedFrame(string ConnId, string? DeviceId, bool IsBinary, ReadOnlyMemory<byte> Bytes, DateTimeOffset ReceivedAt)
{
    /// <summary>The message as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes.Span);
}
