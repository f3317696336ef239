using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace DataNet.Cli.Tests;

/// <summary>A loopback HTTP server that is not DataNet: every request gets a multi-line HTML 404 page.</summary>
internal sealed class NotDataNetServer : IDisposable
{
    private const string Page = "<!DOCTYPE html>\n<html>\n<head><title>404 Not Found</title></head>\n<body>\n<h1>Not Found</h1>\n</body>\n</html>\n";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    public NotDataNetServer()
    {
        _listener.Start();
        _ = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Connections answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
    }

    private async Task ServeAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var buffer = new byte[8192];
                _ = await stream.ReadAsync(buffer, _stop.Token);
                var body = Encoding.UTF8.GetBytes(Page);
                var head = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
                Interlocked.Increment(ref _requests);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or System.IO.IOException)
        {
            // stopped
        }
    }
}
