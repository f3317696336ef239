using System;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td.Connection;

namespace DataNet.Td.Auth;

/// <summary>
/// Token cache: reuse a token still valid once a connect that takes the whole request timeout is done, with 10 s to
/// spare; refresh ahead of expiry (90 s before <c>exp</c>, or half the lifetime for tokens shorter than 3 minutes)
/// while connected, except tokens that arrive with less than 2 s to live (refreshing those would turn into a request
/// storm); always fetch before a connect when the cached token is stale or was rejected. One request at a time.
/// </summary>
internal sealed class TokenProvider : IDisposable
{
    public static readonly TimeSpan ReuseMargin = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Tokens that arrive with less than this to live are not refreshed while connected: refreshing one would be due
    /// within a second, again and again (a server issuing expired tokens made the client fetch one every second).
    /// </summary>
    public static readonly TimeSpan ShortestRefreshedLifetime = TimeSpan.FromSeconds(2);

    private readonly Func<CancellationToken, Task<string>> _request;
    private readonly TimeProvider _time;
    private readonly TimeSpan _reuseMargin;
    private readonly SemaphoreSlim _fetchGate = new(1, 1);
    private AuthToken? _current;

    /// <param name="request">Fetches a new token.</param>
    /// <param name="time">The clock (monotonic timestamps for expiry, wall time for <c>exp</c>).</param>
    /// <param name="connectTime">The longest a connect (upgrade and handshake) may take: the request timeout.</param>
    public TokenProvider(Func<CancellationToken, Task<string>> request, TimeProvider time, TimeSpan connectTime)
    {
        _request = request;
        _time = time;
        _reuseMargin = ReuseMargin + connectTime;
    }

    public AuthToken? Current => Volatile.Read(ref _current);

    /// <summary>When a proactive refresh is due (null: never, e.g. no <c>exp</c>).</summary>
    public TimeSpan? RefreshDueAt
    {
        get
        {
            var token = Current;
            if (token?.ExpiresAt is not { } expires)
            {
                return null;
            }

            var lifetime = expires - token.ObtainedAt;
            if (lifetime < ShortestRefreshedLifetime)
            {
                // Already expired, or nearly, on arrival (a broken or hostile server). The open socket outlives its
                // token; the next connect fetches a new one.
                return null;
            }

            var ahead = lifetime > TimeSpan.FromTicks(RefreshAhead.Ticks * 2) ? RefreshAhead : TimeSpan.FromTicks(Math.Max(lifetime.Ticks / 2, 0));
            var due = expires - ahead;
            return due;
        }
    }

    /// <summary>True when <paramref name="token"/> outlives a connect started now, with 10 s to spare.</summary>
    public bool IsReusable(AuthToken? token) =>
        token?.ExpiresAt is { } expires && expires - _time.MonotonicNow() > _reuseMargin;

    /// <summary>A token good for a new connection: the cached one when reusable, else a fresh one.</summary>
    public async Task<AuthToken> GetForConnectAsync(CancellationToken cancel)
    {
        var cached = Current;
        if (IsReusable(cached))
        {
            return cached!;
        }

        return await FetchAsync(cached, cancel).ConfigureAwait(false);
    }

    /// <summary>Fetches a new token unless another caller replaced <paramref name="stale"/> meanwhile.</summary>
    public async Task<AuthToken> FetchAsync(AuthToken? stale, CancellationToken cancel)
    {
        await _fetchGate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            var current = Current;
            if (current is not null && !ReferenceEquals(current, stale) && IsReusable(current))
            {
                return current;
            }

            var jwt = await _request(cancel).ConfigureAwait(false);
            var token = AuthToken.FromJwt(jwt, _time.MonotonicNow(), _time.GetUtcNow());
            Volatile.Write(ref _current, token);
            return token;
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    /// <summary>Forget the cached token (the gateway refused it), so the next connect fetches a fresh one.</summary>
    public void Invalidate(AuthToken? rejected)
    {
        if (rejected is not null)
        {
            Interlocked.CompareExchange(ref _current, null, rejected);
        }
    }

    public void Dispose() => _fetchGate.Dispose();
}
