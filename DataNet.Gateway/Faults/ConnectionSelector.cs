using System;
using System.Collections.Generic;

namespace DataNet.Gateway;

/// <summary>
/// Which open connections a fault applies to: those with one of <see cref="ConnIds"/>, or whose token carries
/// <see cref="DeviceId"/>; both null (or <see cref="All"/>) means every open connection.
/// </summary>
public sealed record ConnectionSelector
{
    /// <summary>Every open connection.</summary>
    public static ConnectionSelector All { get; } = new();

    /// <summary>connIds as sent in <c>connected</c>. Default null: not filtered by connId.</summary>
    public IReadOnlyList<string>? ConnIds { get; init; }

    /// <summary>The token's deviceId. Default null: not filtered by device.</summary>
    public string? DeviceId { get; init; }

    internal bool Matches(string connId, string? deviceId)
    {
        if (DeviceId is not null && !string.Equals(DeviceId, deviceId, StringComparison.Ordinal))
        {
            return false;
        }
        if (ConnIds is null)
        {
            return true;
        }
        foreach (var id in ConnIds)
        {
            if (string.Equals(id, connId, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
