using System;
using System.Buffers;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Gateway.Sockets;

/// <summary>What one <see cref="MessageReader.ReadAsync"/> produced.</summary>
internal enum ReadOutcome
{
    Message,
    Closed,
    TooBig,
}

/// <summary>
/// Assembles whole WebSocket messages (all fragments) into a pooled buffer, refusing any message longer
/// than the limit. One per connection; not thread-safe.
/// </summary>
internal sealed class MessageReader(int maxMessageBytes) : IDisposable
{
    private const int InitialSize = 4096;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _length;

    public ReadOnlyMemory<byte> Message => _buffer.AsMemory(0, _length);
    public WebSocketMessageType MessageType { get; private set; }

    public async ValueTask<ReadOutcome> ReadAsync(WebSocket socket, CancellationToken ct)
    {
        _length = 0;
        while (true)
        {
            if (_length == _buffer.Length)
            {
                Grow();
            }
            // Ask for at most one byte past the limit: enough to know the message is too big.
            var room = Math.Min(_buffer.Length - _length, maxMessageBytes + 1 - _length);
            var result = await socket.ReceiveAsync(_buffer.AsMemory(_length, room), ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ReadOutcome.Closed;
            }
            _length += result.Count;
            if (_length > maxMessageBytes)
            {
                return ReadOutcome.TooBig;
            }
            if (result.EndOfMessage)
            {
                MessageType = result.MessageType;
                return ReadOutcome.Message;
            }
        }
    }

    private void Grow()
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxMessageBytes + 1));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
