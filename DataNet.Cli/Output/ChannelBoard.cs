using System;
using System.Collections.Generic;
using System.Globalization;
using DataNet.Td;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DataNet.Cli.Output;

/// <summary>
/// The live view of <c>datanet sub</c>: one row per channel with the latest message's sender, age and
/// data, and how many arrived. Fed inside Poll; rendered by the caller at its own pace.
/// </summary>
internal sealed class ChannelBoard
{
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public ChannelBoard(IEnumerable<string> channels)
    {
        foreach (var channel in channels)
        {
            Ensure(channel);
        }
    }

    public long Total { get; private set; }

    public void Add(DataNetMessage message)
    {
        var row = Ensure(message.Channel);
        row.Latest = message;
        row.Count++;
        Total++;
    }

    public IRenderable Render(string status, DateTimeOffset now)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("channel");
        table.AddColumn("from");
        table.AddColumn(new TableColumn("age").RightAligned());
        table.AddColumn(new TableColumn("msgs").RightAligned());
        table.AddColumn("data");
        foreach (var channel in _order)
        {
            var row = _rows[channel];
            var latest = row.Latest;
            table.AddRow(
                Markup.Escape(TerminalText.Visible(channel)),
                Markup.Escape(latest is null ? "-" : TerminalText.Visible(latest.From)),
                latest is null ? "-" : MessageText.Age(latest.Timestamp, now),
                row.Count.ToString(CultureInfo.InvariantCulture),
                latest is null ? "[grey]waiting[/]" : Markup.Escape(MessageText.Data(latest, 200)));
        }

        table.Caption(Markup.Escape(TerminalText.Visible(status)));
        return table;
    }

    private Row Ensure(string channel)
    {
        if (!_rows.TryGetValue(channel, out var row))
        {
            row = new Row();
            _rows.Add(channel, row);
            _order.Add(channel);
        }

        return row;
    }

    private sealed class Row
    {
        public DataNetMessage? Latest { get; set; }

        public long Count { get; set; }
    }
}
