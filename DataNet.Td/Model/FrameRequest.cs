namespace DataNet.Td;

/// <summary>
/// The request block a host hands to <see cref="DataNetClient.PollFrameEntryPoint"/>: <see cref="Slots"/> 64-bit
/// integers in the host's memory, in <see cref="Slot"/> order. The host writes the inputs (the arguments of
/// <see cref="DataNetClient.PollFrame"/>) and reads <see cref="Slot.RecordAddress"/> and <see cref="Slot.RecordCapacity"/> back.
/// </summary>
public static class FrameRequest
{
    /// <summary>How many 64-bit slots the block holds.</summary>
    public const int Slots = 10;

    /// <summary>The slots, in order.</summary>
    public enum Slot
    {
        /// <summary>In: PollFrame's <c>maxRows</c> (negative: no rows).</summary>
        MaxRows,

        /// <summary>In: 1 to prefix value names with their channel, else 0.</summary>
        PrefixWithChannel,

        /// <summary>In: the address of the caller's buffer of doubles; 0: no values.</summary>
        ValuesAddress,

        /// <summary>In: how many doubles fit there.</summary>
        ValuesCapacity,

        /// <summary>In: the layout version whose names the caller holds; -1: none.</summary>
        KnownLayout,

        /// <summary>In: the address of the selected channels as UTF-8, separated by U+001F; 0: every channel.</summary>
        ChannelsAddress,

        /// <summary>In: the length in bytes of that text.</summary>
        ChannelsLength,

        /// <summary>Out: the address of the record as UTF-8 (valid until the next call).</summary>
        RecordAddress,

        /// <summary>Out: how many bytes the buffer at <see cref="RecordAddress"/> holds (the record's length is the return value).</summary>
        RecordCapacity,

        /// <summary>
        /// In: 1 when the host still holds what it read from the previous record, else 0. Then a quiet frame (nothing
        /// received, raised or taken) whose request and record equal the previous call's returns 0 instead of the
        /// record: no encoding, no parsing, the host reuses what it has. 0: always the record.
        /// </summary>
        AcceptUnchanged,
    }
}
