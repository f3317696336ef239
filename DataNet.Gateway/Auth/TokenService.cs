using System;
using System.Collections.Generic;
using System.Linq;
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

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly TokenValidationParameters _validation;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _defaultLifetime;

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

    public string Issue(TokenGrant grant, TimeSpan? lifetime = null)
    {
        var now = _clock.GetUtcNow();
        var expires = now + (lifetime ?? _defaultLifetime);
        // An already-expired token (tests) still needs iat <= exp for the JWT library.
        var issuedAt = expires > now ? now : expires - TimeSpan.FromSeconds(1);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [ProjectClaim] = grant.Key.Project,
            [ScopesClaim] = grant.Key.Scopes.ToArray(),
            ["jti"] = Guid.NewGuid().ToString("N"),
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
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (expires <= _clock.GetUtcNow())
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
            expires);
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
