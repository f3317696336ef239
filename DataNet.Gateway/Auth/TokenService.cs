using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataNet.Gateway.Auth;

/// <summary>
/// Issues and validates HS256 JWTs. The signing key (<see cref="SigningKeyStore"/>) survives
/// <see cref="LocalGateway.RestartAsync"/>, and a new process too when it is kept in a file, so tokens stay valid
/// across a restart; it never appears in a log.
/// </summary>
internal sealed class TokenService
{
    internal const string Issuer = "datanet-local-gateway";
    internal const string ProjectClaim = "pid";
    internal const string ScopesClaim = "scopes";
    internal const string PrefixesClaim = "prefixes";
    internal const string DeviceIdClaim = "deviceId";
    internal const string ClientIdClaim = "clientId";
    internal const string DeviceNameClaim = "deviceName";

    /// <summary>The exact expiry in unix milliseconds; <c>exp</c> is whole seconds (rounded up), as the SDKs read it.</summary>
    internal const string ExpiresMsClaim = "expMs";

    /// <summary>Issue order, for refusing every token issued before an expire or revoke fault.</summary>
    internal const string SequenceClaim = "seq";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly TokenValidationParameters _validation;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _defaultLifetime;
    private long _lastSequence;
    private long _refusedUpTo;

    public TokenService(TimeProvider clock, TimeSpan defaultLifetime, byte[] signingKey)
    {
        _clock = clock;
        _defaultLifetime = defaultLifetime;
        var key = new SymmetricSecurityKey(signingKey);
        _credentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        _validation = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidIssuer = Issuer,
            ValidateIssuer = true,
            ValidateAudience = false,
            // Lifetime is checked below against the gateway's clock, which tests can freeze.
            ValidateLifetime = false,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        };
    }

    /// <summary>The lifetime of tokens issued without an explicit one.</summary>
    public TimeSpan DefaultLifetime => _defaultLifetime;

    public string Issue(TokenGrant grant, TimeSpan? lifetime = null)
    {
        var now = _clock.GetUtcNow();
        var expiresMs = (now + (lifetime ?? _defaultLifetime)).ToUnixTimeMilliseconds();
        // exp is whole seconds: round up, so a client reading it never thinks a live token is dead; the gateway
        // itself enforces expMs to the millisecond.
        var expires = DateTimeOffset.FromUnixTimeSeconds((long)Math.Ceiling(expiresMs / 1000.0));
        // An already-expired token (tests) still needs iat <= exp for the JWT library.
        var issuedAt = expires > now ? now : expires - TimeSpan.FromSeconds(1);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [ProjectClaim] = grant.Key.Project,
            [ScopesClaim] = grant.Key.Scopes.ToArray(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            [ExpiresMsClaim] = expiresMs,
            [SequenceClaim] = NextSequence(now),
        };
        if (grant.Key.ChannelPrefixes is { } prefixes)
        {
            claims[PrefixesClaim] = prefixes.ToArray();
        }
        AddIfSet(claims, DeviceIdClaim, grant.DeviceId);
        AddIfSet(claims, ClientIdClaim, grant.ClientId);
        AddIfSet(claims, DeviceNameClaim, grant.DeviceName);
        if (grant.DeviceId is { Length: > 0 } deviceId)
        {
            claims["sub"] = deviceId;
        }
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = _credentials,
        });
    }

    /// <summary>The identity of a well-signed, unexpired token from this gateway; null otherwise.</summary>
    public async Task<GatewayIdentity?> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || !_handler.CanReadToken(token))
        {
            return null;
        }
        var result = await _handler.ValidateTokenAsync(token, _validation).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }
        var expires = jwt.TryGetPayloadValue<long>(ExpiresMsClaim, out var expiresMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(expiresMs)
            : new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (expires <= _clock.GetUtcNow())
        {
            return null;
        }
        if (!jwt.TryGetPayloadValue<long>(SequenceClaim, out var sequence) || sequence <= Interlocked.Read(ref _refusedUpTo))
        {
            return null;
        }
        if (!jwt.TryGetPayloadValue<string>(ProjectClaim, out var projectId) || string.IsNullOrEmpty(projectId))
        {
            return null;
        }
        var scopes = jwt.TryGetPayloadValue<string[]>(ScopesClaim, out var s) ? s : [];
        string[]? prefixes = jwt.TryGetPayloadValue<string[]>(PrefixesClaim, out var p) ? p : null;
        return new GatewayIdentity(
            projectId,
            scopes,
            prefixes,
            Optional(jwt, DeviceIdClaim),
            Optional(jwt, ClientIdClaim),
            Optional(jwt, DeviceNameClaim),
            expires,
            sequence);
    }

    /// <summary>
    /// From now on every token issued so far is refused as expired; returns the last refused sequence number
    /// (an identity with <see cref="GatewayIdentity.Sequence"/> up to it holds such a token).
    /// </summary>
    public long RefuseIssuedSoFar()
    {
        var last = Interlocked.Read(ref _lastSequence);
        InterlockedMax(ref _refusedUpTo, last);
        return last;
    }

    // Increasing within a process and, because it starts from the clock, across restarts of a process that keeps its key.
    private long NextSequence(DateTimeOffset now)
    {
        var floor = now.ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            var last = Interlocked.Read(ref _lastSequence);
            var next = Math.Max(last + 1, floor);
            if (Interlocked.CompareExchange(ref _lastSequence, next, last) == last)
            {
                return next;
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static void AddIfSet(Dictionary<string, object> claims, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            claims[name] = value;
        }
    }

    private static string? Optional(JsonWebToken jwt, string name) =>
        jwt.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
