using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Testing;

/// <summary>
/// A loopback HTTP/1.1 server that answers every request with one canned response, as a captive portal, a proxy
/// or a hostile API would. The body is written in 64 KiB pieces, so a huge one costs the test no memory.
/// </summary>
public sealed class CannedHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _status;
    private readonly string _contentType;
    private readonly byte[] _bodyPiece;
    private readonly long _bodyBytes;
    private readonly bool _declareLength;
    private int _requests;

    /// <param name="status">HTTP status.</param>
    /// <param name="contentType">Content-Type header.</param>
    /// <param name="body">The body, or its first piece when <paramref name="repeatToBytes"/> is set.</param>
    /// <param name="repeatToBytes">When set, <paramref name="body"/> is repeated until this many bytes were sent.</param>
    /// <param name="declareLength">False: no Content-Length, the body ends when the connection closes.</param>
    public CannedHttpServer(int status, string contentType, string body, long? repeatToBytes = null, bool declareLength = true)
    {
        _declareLength = declareLength;
        ArgumentNullException.ThrowIfNull(body);
        _status = status;
        _contentType = contentType;
        _bodyPiece = Encoding.UTF8.GetBytes(body);
        _bodyBytes = repeatToBytes ?? _bodyPiece.Length;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    /// <summary>e.g. http://127.0.0.1:1234</summary>
    public string Url => "http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Requests answered (or being answered).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await SkipRequestAsync(stream).ConfigureAwait(false);
                Interlocked.Increment(ref _requests);
                var length = _declareLength ? $"Content-Length: {_bodyBytes.ToString(CultureInfo.InvariantCulture)}\r\n" : string.Empty;
                var head = $"HTTP/1.1 {_status.ToString(CultureInfo.InvariantCulture)} Canned\r\nContent-Type: {_contentType}\r\n{length}Connection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token).ConfigureAwait(false);
                var piece = _bodyPiece.Length >= 65536 || _bodyBytes == _bodyPiece.Length ? _bodyPiece : Repeat(_bodyPiece, 65536);
                for (long sent = 0; sent < _bodyBytes;)
                {
                    var count = (int)Math.Min(piece.Length, _bodyBytes - sent);
                    await stream.WriteAsync(piece.AsMemory(0, count), _stop.Token).ConfigureAwait(false);
                    sent += count;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client stopped reading (as it should, for a huge body) or the test ended.
            }
        }
    }

    private static byte[] Repeat(byte[] piece, int size)
    {
        var buffer = new byte[size - (size % piece.Length)];
        for (var i = 0; i < buffer.Length; i += piece.Length)
        {
            piece.CopyTo(buffer, i);
        }

        return buffer;
    }

    /// <summary>Reads the request line, headers and a Content-Length body.</summary>
    private async Task SkipRequestAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, _stop.Token).ConfigureAwait(false) == 0)
            {
                return;
            }

            head.Append((char)one[0]);
        }

        foreach (var line in head.ToString().Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                var remaining = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
                var buffer = new byte[remaining];
                while (remaining > 0)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(0, remaining), _stop.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    remaining -= read;
                }
            }
        }
    }
}
