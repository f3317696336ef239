using System;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td.Connection;

namespace DataNet.Td.Auth;

/// <summary>
/// Token cache: reuse a token valid for more than 10 s more; refresh ahead of expiry (90 s before <c>exp</c>, or
/// half the lifetime for short-lived tokens) while connected; always fetch before a connect when the cached token is
/// stale or was rejected. One request at a time.
/// </summary>
internal sealed class TokenProvider : IDisposable
{
    public static readonly TimeSpan ReuseMargin = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(90);

    private readonly Func<CancellationToken, Task<string>> _request;
    private readonly IClock _clock;
    private readonly SemaphoreSlim _fetchGate = new(1, 1);
    private AuthToken? _current;

    public TokenProvider(Func<CancellationToken, Task<string>> request, IClock clock)
    {
        _request = request;
        _clock = clock;
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
            var ahead = lifetime > TimeSpan.FromTicks(RefreshAhead.Ticks * 2) ? RefreshAhead : TimeSpan.FromTicks(Math.Max(lifetime.Ticks / 2, 0));
            var due = expires - ahead;
            // Never due before the token is a second old: an already-expired token must not cause a request storm.
            var earliest = token.ObtainedAt + TimeSpan.FromSeconds(1);
            return due > earliest ? due : earliest;
        }
    }

    public static bool IsReusable(AuthToken? token, TimeSpan now) =>
        token?.ExpiresAt is { } expires && expires - now > ReuseMargin;

    /// <summary>A token good for a new connection: the cached one when reusable, else a fresh one.</summary>
    public async Task<AuthToken> GetForConnectAsync(CancellationToken cancel)
    {
        var cached = Current;
        if (IsReusable(cached, _clock.Now))
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
            if (current is not null && !ReferenceEquals(current, stale) && IsReusable(current, _clock.Now))
            {
                return current;
            }

            var jwt = await _request(cancel).ConfigureAwait(false);
            var token = AuthToken.FromJwt(jwt, _clock.Now, _clock.UtcNow);
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
