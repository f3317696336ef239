"""DataNet SDK for TouchDesigner: received rows into a Table DAT, once per frame.

Put this file in a Text DAT named ``table_sink`` next to the frame hook (it is used as a module,
not as callbacks). Each frame the frame hook calls ``sink(table, dn)``:

  * the newest rows queued since the last frame, at most as many as the table keeps, are taken in
    one call (``DataNetClient.TakeNewestRows``; older ones are dropped unformatted and counted):
    channel | from | timestamp | contentType | data (JSON text, or base64 for binary);
  * appended with one ``appendRows`` call (docs.derivative.ca/DAT_Class: appendRows(vals));
  * the header row is kept as row 0;
  * the table is clamped to ``max_rows`` data rows like TD's FIFO DAT ("When its capacity is
    reached, the first row is removed", docs.derivative.ca/FIFO_DAT; its default is 100 lines):
    the oldest rows are dropped. A Table DAT has no row limit of its own.

Only TD calls used: ``numRows``, ``appendRow``, ``appendRows``, ``deleteRows``, ``clear(keepFirstRow=True)``.
"""

HEADER = ['channel', 'from', 'timestamp', 'contentType', 'data']
COLUMNS = len(HEADER)
DEFAULT_MAX_ROWS = 100   # TD's FIFO DAT default (Maximum Lines)
SEPARATOR = '\x1f'       # RowBatch.CellSeparator (U+001F, never unescaped in JSON text)


def _take(client, limit):
    """The newest ``limit`` rows as lists of strings, oldest first, plus the count dropped before them."""
    batch = client.TakeNewestRows(limit)
    n = int(batch.Count)
    if n <= 0:
        return [], int(batch.Dropped)
    # One string across pythonnet, split here, instead of one conversion per cell (about 0.4 us each:
    # docs/benchmarks.md). JoinCells is None when a cell contains the separator: then cell by cell.
    join = getattr(batch, 'JoinCells', None)
    joined = join() if join is not None else None
    cells = str(joined).split(SEPARATOR) if joined is not None else list(batch.Cells)
    cols = int(getattr(batch, 'ColumnCount', COLUMNS) or COLUMNS)
    return [cells[i:i + cols] for i in range(0, n * cols, cols)], int(batch.Dropped)


def sink(table, dn, max_rows=DEFAULT_MAX_ROWS):
    """Move the pending rows of ``dn`` (the loader's ``dn``, or a .NET DataNetClient) into ``table``.

    Every pending row is consumed each frame (no backlog makes the table lag behind); only the
    newest ``max_rows`` can stay in the table, so only those are formatted and cross into Python.
    Returns a dict with ``appended``, ``trimmed`` (rows removed from the table) and ``dropped``
    (lost before reaching it: over RowCapacity since the last frame, or more than ``max_rows`` in
    one frame).
    """
    client = getattr(dn, 'client', dn)
    if client is None:
        return {'appended': 0, 'trimmed': 0, 'dropped': 0}
    max_rows = max(0, int(max_rows))
    rows, dropped = _take(client, max_rows)
    if not rows:
        return {'appended': 0, 'trimmed': 0, 'dropped': dropped}
    trimmed = 0
    if table.numRows == 0:
        table.appendRow(HEADER)
    existing = table.numRows - 1
    if rows and len(rows) >= max_rows:
        trimmed = existing
        if existing:
            table.clear(keepFirstRow=True)   # the whole table is replaced: cheaper than deleting rows
    else:
        excess = existing + len(rows) - max_rows
        if excess > 0:
            table.deleteRows(list(range(1, 1 + excess)))
            trimmed = excess
    if rows:
        table.appendRows(rows)
    return {'appended': len(rows), 'trimmed': trimmed, 'dropped': dropped}
