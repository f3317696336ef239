using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Td.Http;

/// <summary>
/// The client's one <see cref="HttpClient"/> (token and presence requests), disposed only once no request is in
/// flight. An HttpClient disposed while a request of its own is still connecting leaves that TCP connection open
/// until the garbage collector finalizes it (measured on .NET 10: 4 to 7 of 100 requests interrupted that way, on a
/// loaded machine); a request cancelled and let to finish first leaves none. So <see cref="Dispose"/> never waits:
/// it refuses new requests and leaves the disposal to the last request in flight, which its caller has cancelled.
/// </summary>
internal sealed class RestChannel : IDisposable
{
    private readonly HttpClient _http;
    private readonly object _gate = new();
    private int _inFlight;
    private bool _closing;

    /// <param name="handler">What sends the requests (tests script it); by default the platform's handler.</param>
    public RestChannel(HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>Sends <paramref name="request"/> as <see cref="RestResponse.SendAsync"/> does.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public async Task<RestResponse> SendAsync(HttpRequestMessage request, CancellationToken cancel)
    {
        lock (_gate)
        {
            if (_closing)
            {
                throw new ObjectDisposedException(nameof(DataNetClient));
            }

            _inFlight++;
        }

        try
        {
            return await RestResponse.SendAsync(_http, request, cancel).ConfigureAwait(false);
        }
        finally
        {
            bool last;
            lock (_gate)
            {
                last = --_inFlight == 0 && _closing;
            }

            if (last)
            {
                _http.Dispose();
            }
        }
    }

    /// <summary>Refuses new requests; disposes the HttpClient now, or when the last request in flight ends.</summary>
    public void Dispose()
    {
        bool now;
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            now = _inFlight == 0;
        }

        if (now)
        {
            _http.Dispose();
        }
    }
}
