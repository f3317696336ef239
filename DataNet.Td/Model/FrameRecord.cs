using System;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DataNet.Td;

/// <summary>
/// The text <see cref="DataNetClient.PollFrame"/> returns: everything a host's frame needs, as one string, so a host
/// that pays per call (pythonnet: 1 µs warm, 25 to 100 µs cold once per frame) crosses once per frame. Fields are
/// separated by <see cref="FieldSeparator"/> in <see cref="Field"/> order; lists inside a field by
/// <see cref="ItemSeparator"/>. Status and errors have control characters replaced by spaces; a list any of whose
/// items holds a separator is sent as a JSON array of strings instead (its encoding field says which).
/// </summary>
public static class FrameRecord
{
    /// <summary>The version of this layout, the record's first field.</summary>
    public const string Version = "1";

    /// <summary>Between fields: U+001E, the ASCII record separator.</summary>
    public const char FieldSeparator = '\u001e';

    /// <summary>Between the items of a list field: U+001F, the ASCII unit separator (never unescaped in JSON text).</summary>
    public const char ItemSeparator = '\u001f';

    /// <summary>A list encoded by joining its items with <see cref="ItemSeparator"/>.</summary>
    public const string Joined = "s";

    /// <summary>A list encoded as a JSON array of strings (an item held a separator).</summary>
    public const string Json = "j";

    /// <summary>The fields of the record, in order.</summary>
    public enum Field
    {
        /// <summary><see cref="Version"/>.</summary>
        Version,

        /// <summary>Messages the poll dispatched.</summary>
        Messages,

        /// <summary>Lifecycle events the poll raised.</summary>
        Events,

        /// <summary>Handlers that threw during the poll.</summary>
        HandlerErrors,

        /// <summary>Messages still queued when the poll's budget ran out.</summary>
        Remaining,

        /// <summary>The <see cref="ConnectionState"/> name.</summary>
        State,

        /// <summary><see cref="DataNetClient.Status"/>.</summary>
        Status,

        /// <summary><see cref="DataNetStats.Received"/>.</summary>
        Received,

        /// <summary><see cref="DataNetStats.Published"/>.</summary>
        Published,

        /// <summary><see cref="DataNetStats.Queued"/>.</summary>
        Queued,

        /// <summary><see cref="DataNetStats.Dropped"/>.</summary>
        Dropped,

        /// <summary><see cref="DataNetStats.DroppedRows"/>.</summary>
        DroppedRows,

        /// <summary><see cref="DataNetStats.Reconnects"/>.</summary>
        Reconnects,

        /// <summary><see cref="DataNetStats.LatencyMs"/> (-1: unknown).</summary>
        LatencyMs,

        /// <summary><see cref="DataNetStats.LastError"/>.</summary>
        LastError,

        /// <summary>Devices on the subscribed channels by the gateway's latest <c>sub_ack</c>s; -1: unknown.</summary>
        Occupancy,

        /// <summary><see cref="LastValues.Version"/>: changes whenever a value changed.</summary>
        ValuesVersion,

        /// <summary><see cref="LastValues.LayoutVersion"/> of the values written.</summary>
        LayoutVersion,

        /// <summary>How many values there are (at most the buffer's capacity were written).</summary>
        ValueCount,

        /// <summary>"1" when <see cref="Names"/> holds the names (the layout differs from the caller's), else "0".</summary>
        NamesIncluded,

        /// <summary>The channel names, index-aligned with the values (TD-legal names: always joined).</summary>
        Names,

        /// <summary>Batched messages dropped since the previous record (more than InboxCapacity waited).</summary>
        BatchesDropped,

        /// <summary>The encoding of <see cref="Batches"/>: <see cref="Joined"/> or <see cref="Json"/>.</summary>
        BatchesEncoding,

        /// <summary>Batched messages (see <see cref="DataNetClient.SubscribeBatch"/>): a list holding, per channel, the
        /// channel, the message count, then per message its from, timestamp, content type and data (JSON text, or
        /// base64 for binary).</summary>
        Batches,

        /// <summary>Rows taken for the table.</summary>
        RowCount,

        /// <summary>Rows dropped before the table since the previous take (<see cref="RowBatch.Dropped"/>).</summary>
        RowsDropped,

        /// <summary>The encoding of <see cref="Rows"/>: <see cref="Joined"/> or <see cref="Json"/>.</summary>
        RowsEncoding,

        /// <summary>The rows' cells, row after row (<see cref="RowBatch.ColumnCount"/> per row); the last field.</summary>
        Rows,
    }

    private static readonly char[] Separators = [FieldSeparator, ItemSeparator];

    internal static void AppendNumber(StringBuilder text, long value) =>
        text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(FieldSeparator);

    internal static void AppendText(StringBuilder text, string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            text.Append(char.IsControl(c) ? ' ' : c);
        }

        text.Append(FieldSeparator);
    }

    /// <summary>Appends the list's encoding field and the list (the encoding first, so the reader knows how to split).</summary>
    internal static void AppendList(StringBuilder text, string[] items, int count, bool last)
    {
        var safe = true;
        for (var i = 0; i < count && safe; i++)
        {
            safe = (items[i] ?? string.Empty).IndexOfAny(Separators) < 0;   // one pass per item for both
        }

        text.Append(safe ? Joined : Json).Append(FieldSeparator);
        if (safe)
        {
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    text.Append(ItemSeparator);
                }

                text.Append(items[i]);
            }
        }
        else
        {
            var slice = new string[count];
            Array.Copy(items, slice, count);
            text.Append(JsonSerializer.Serialize(slice));
        }

        if (!last)
        {
            text.Append(FieldSeparator);
        }
    }
}
