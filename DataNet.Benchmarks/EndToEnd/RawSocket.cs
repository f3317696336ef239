using System;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>A plain <see cref="ClientWebSocket"/> on the gateway: the baseline, and the publishers of every phase.</summary>
internal sealed class RawSocket : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];

    private RawSocket(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<RawSocket> ConnectAsync(LocalGateway gateway, string deviceId)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("bearer");
        socket.Options.AddSubProtocol(gateway.IssueToken("ak_bench", deviceId));
        await socket.ConnectAsync(new Uri(gateway.WsUrl, "/ws"), CancellationToken.None).ConfigureAwait(false);
        var raw = new RawSocket(socket);
        await raw.ReceiveOneAsync().ConfigureAwait(false); // connected
        return raw;
    }

    public async Task SubscribeAsync(string channel)
    {
        await SendAsync("{\"op\":\"sub\",\"ch\":\"" + channel + "\"}").ConfigureAwait(false);
        await ReceiveOneAsync().ConfigureAwait(false); // sub_ack
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public Task SendAsync(byte[] frame) =>
        Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Reads one whole message; returns its length (the bytes stay readable in <see cref="LastBytes"/>).</summary>
    public async Task<int> ReceiveOneAsync()
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The gateway closed the socket.");
            }

            length += result.Count;
        }
        while (!result.EndOfMessage);
        LastLength = length;
        return length;
    }

    public int LastLength { get; private set; }

    public ReadOnlySpan<byte> LastBytes => _buffer.AsSpan(0, LastLength);

    public void Dispose() => Socket.Dispose();

    /// <summary>A publish frame (<c>{"op":"pub","ch":...,"d":...}</c>) as UTF-8.</summary>
    public static byte[] PublishFrame(string channel, string data) =>
        Encoding.UTF8.GetBytes("{\"op\":\"pub\",\"ch\":\"" + channel + "\",\"d\":" + data + "}");
}
