using System;

namespace DataNet.Td;

/// <summary>Who is on a channel, from <c>GET /presence</c>.</summary>
public sealed class PresenceResult
{
    internal PresenceResult(string channel, int occupancy, string[] members)
    {
        Channel = channel;
        Occupancy = occupancy;
        Members = members;
    }

    /// <summary>The channel asked about.</summary>
    public string Channel { get; }

    /// <summary>How many are connected to it (<c>occupancy</c>, or the older servers' <c>count</c>).</summary>
    public int Occupancy { get; }

    /// <summary>Member ids (non-string entries dropped); may be empty when the server lists none.</summary>
    public string[] Members { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Channel}: {Occupancy} ({string.Join(", ", Members ?? Array.Empty<string>())})";
}
