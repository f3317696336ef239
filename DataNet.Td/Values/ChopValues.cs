namespace DataNet.Td;

/// <summary>Names and values for a Script CHOP, in a stable order, from <see cref="LastValues.Collect"/>.</summary>
public sealed class ChopValues
{
    internal ChopValues(string[] names, double[] values, long layoutVersion)
    {
        Names = names;
        Values = values;
        LayoutVersion = layoutVersion;
    }

    /// <summary>TD-legal channel names.</summary>
    public string[] Names { get; }

    /// <summary>Values, index-aligned with <see cref="Names"/>.</summary>
    public double[] Values { get; }

    /// <summary>The <see cref="LastValues.LayoutVersion"/> these names belong to: re-read names only when it changes.</summary>
    public long LayoutVersion { get; }
}
