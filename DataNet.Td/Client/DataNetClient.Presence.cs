using System;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td.Queues;

namespace DataNet.Td;

public sealed partial class DataNetClient
{
    /// <summary>
    /// Asks <c>GET /presence</c> in the background; the result arrives inside Poll through <see cref="PresenceReceived"/>,
    /// a failure through <see cref="Error"/> (<c>not_connected</c>, <c>presence_forbidden</c>, <c>presence_failed</c>).
    /// </summary>
    /// <param name="channel">Exact channel name.</param>
    public void GetPresence(string channel)
    {
        ValidateChannel(channel);
        ThrowIfDisposed();
        var cancel = _disposing.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                var result = await _presence.GetAsync(channel, cancel).ConfigureAwait(false);
                Enqueue(ClientEvent.ForPresence(result));
            }
            catch (DataNetException ex)
            {
                ReportError(ex.Error);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                // Disposed meanwhile.
            }
        });
    }

    /// <summary>Presence for .NET hosts: completes with the result or throws <see cref="DataNetException"/>.</summary>
    /// <param name="channel">Exact channel name.</param>
    /// <param name="cancel">Cancels the request.</param>
    public async Task<PresenceResult> GetPresenceAsync(string channel, CancellationToken cancel = default)
    {
        ValidateChannel(channel);
        ThrowIfDisposed();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, _disposing.Token);
        try
        {
            return await _presence.GetAsync(channel, linked.Token).ConfigureAwait(false);
        }
        catch (DataNetException ex)
        {
            throw new DataNetException(Scrub(ex.Error));
        }
    }
}
