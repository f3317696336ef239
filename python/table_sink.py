"""DataNet SDK for TouchDesigner: received rows into a Table DAT, once per frame.

Put this file in a Text DAT named ``table_sink`` next to the frame hook (it is used as a module,
not as callbacks). Each frame the frame hook hands it the rows of that frame's ``dn.Frame()``:
the newest rows received since the last frame, at most as many as the table keeps (older ones are
dropped unformatted in .NET and counted): channel | from | timestamp | contentType | data (JSON
text, or base64 for binary).

  * appended with one ``appendRows`` call (docs.derivative.ca/DAT_Class: appendRows(vals));
  * the header row is kept as row 0;
  * the table is clamped to ``max_rows`` data rows like TD's FIFO DAT ("When its capacity is
    reached, the first row is removed", docs.derivative.ca/FIFO_DAT; its default is 100 lines):
    the oldest rows are dropped. A Table DAT has no row limit of its own.

Only TD calls used: ``numRows``, ``appendRow``, ``appendRows``, ``deleteRows``, ``clear(keepFirstRow=True)``.
"""

HEADER = ['channel', 'from', 'timestamp', 'contentType', 'data']
DEFAULT_MAX_ROWS = 100   # TD's FIFO DAT default (Maximum Lines)


def clamp(table, max_rows):
    """Delete the oldest data rows beyond ``max_rows`` (the header stays). Returns how many went.
    Indices are given highest first: in which order deleteRows resolves several indices is not
    documented, and highest first is right whether it reads them all before deleting or one by one."""
    excess = table.numRows - 1 - max(0, int(max_rows))
    if excess <= 0:
        return 0
    table.deleteRows(list(range(excess, 0, -1)))
    return excess


def sink(table, rows, max_rows=DEFAULT_MAX_ROWS):
    """Append ``rows`` (lists of 5 strings, oldest first: a FrameResult's rows) to ``table`` and clamp it to
    ``max_rows`` data rows. Returns a dict with ``appended`` and ``trimmed`` (rows removed from the table)."""
    max_rows = max(0, int(max_rows))
    if table.numRows == 0:
        table.appendRow(HEADER)
    if not rows:
        return {'appended': 0, 'trimmed': 0}
    rows = rows[-max_rows:] if max_rows else []
    existing = table.numRows - 1
    if len(rows) >= max_rows:
        if existing:
            table.clear(keepFirstRow=True)   # the whole table is replaced: cheaper than deleting rows
        trimmed = existing
    else:
        trimmed = clamp(table, max_rows - len(rows))
    if rows:
        table.appendRows(rows)
    return {'appended': len(rows), 'trimmed': trimmed}
