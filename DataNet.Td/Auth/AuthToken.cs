using System;
using DataNet.Td.Protocol;

namespace DataNet.Td.Auth;

/// <summary>A token and when it stops being usable, on the monotonic clock. Never printed.</summary>
internal sealed class AuthToken
{
    public AuthToken(string value, TimeSpan obtainedAt, TimeSpan? expiresAt, string? projectId)
    {
        Value = value;
        ObtainedAt = obtainedAt;
        ExpiresAt = expiresAt;
        ProjectId = projectId;
    }

    public string Value { get; }

    public TimeSpan ObtainedAt { get; }

    /// <summary>Null when the token carries no <c>exp</c>.</summary>
    public TimeSpan? ExpiresAt { get; }

    public string? ProjectId { get; }

    public static AuthToken FromJwt(string jwt, TimeSpan monotonicNow, DateTimeOffset utcNow)
    {
        var payload = JwtPayload.Decode(jwt);
        TimeSpan? expiresAt = null;
        if (payload.ExpiresUnixSeconds is { } exp)
        {
            // Convert wall-clock exp to the monotonic clock once; later clock changes cannot stall a refresh.
            var remaining = DateTimeOffset.FromUnixTimeSeconds(Math.Min(Math.Max(exp, JwtPayload.MinUnixSeconds), JwtPayload.MaxUnixSeconds)) - utcNow;
            expiresAt = monotonicNow + remaining;
        }

        return new AuthToken(jwt, monotonicNow, expiresAt, payload.ProjectId);
    }

    public override string ToString() => "AuthToken(hidden)";
}
