using System;
using System.Globalization;
using DataNet.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DataNet.Cli.Demo;

/// <summary>The demo on a terminal: status line, the row table, the CHOP values, and stats.</summary>
internal static class DemoLiveView
{
    public static IRenderable Render(DemoSnapshot snapshot, DemoInfo info)
    {
        var header = new Markup(
            $"[bold]DataNet demo[/]  gateway [link]{Markup.Escape(info.GatewayUrl)}[/]  " +
            $"sensor {info.Channels.Length} channels at {info.PublishRateHz.ToString("0.#", CultureInfo.InvariantCulture)} Hz  " +
            "[grey]Ctrl-C to stop[/]");
        var status = new Markup($"[bold]Status[/] {Markup.Escape(snapshot.Status)}");

        return new Rows(
            header,
            status,
            new Columns(RowTableView(snapshot), ValuesView(snapshot)) { Expand = true },
            new Markup(Markup.Escape(DemoText.StatsLine(snapshot))));
    }

    private static Table RowTableView(DemoSnapshot snapshot)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(string.Create(CultureInfo.InvariantCulture, $"Table DAT ({snapshot.Rows.Length}/{snapshot.RowLimit} rows, {snapshot.RowsTrimmed} trimmed)"));
        table.AddColumn("channel");
        table.AddColumn("from");
        table.AddColumn("data");
        foreach (var row in snapshot.Rows)
        {
            // Columns: channel, from, timestamp, contentType, data (RowBatch.Header).
            table.AddRow(Markup.Escape(row[0]), Markup.Escape(row[1]), Markup.Escape(MessageText.Cut(row[4], 48)));
        }

        return table;
    }

    private static Table ValuesView(DemoSnapshot snapshot)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(string.Create(CultureInfo.InvariantCulture, $"Script CHOP ({snapshot.Names.Length} channels)"));
        table.AddColumn("name");
        table.AddColumn(new TableColumn("value").RightAligned());
        for (var i = 0; i < snapshot.Names.Length && i < snapshot.Values.Length; i++)
        {
            table.AddRow(Markup.Escape(snapshot.Names[i]), snapshot.Values[i].ToString("0.000", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
