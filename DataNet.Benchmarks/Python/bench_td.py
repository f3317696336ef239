"""DataNet benchmark driver: the TouchDesigner side in real CPython 3.11 + pythonnet (zero-pip) with the TD fake.

Started by `dotnet run -c Release --project DataNet.Benchmarks -- e2e` (EndToEnd/TdFramePhase.cs), which passes the
gateway and channels in DATANET_BENCH_* variables and publishes the stream. Protocol on stdout/stdin:
  READY            the network is built, connected and subscribed
  (stdin) GO       the parent starts publishing 10,000 msg/s: run frames at FPS for SECONDS
  RESULT {json}    every figure, then exit 0

Measured on TD's main thread (this thread), per frame: the Execute DAT's onFrameStart (python/frame_hook.py) with,
inside it, dn.Poll() (Poll through pythonnet), the table sink (TakeNewestRows + one conversion + the fake Table DAT's
appendRows/clear), and the Script CHOP's forced cook (chop_values.py: Collect + bulk copy + the fake's appendChan).
The fake's own operator work is pure Python: TD's is C++, so those parts are reported separately.
"""
import json
import os
import sys
import tempfile
import time
from array import array

from tdfake import TDFakeProject, baseCOMP, executeDAT, scriptCHOP, tableDAT, textDAT

PY_SDK = os.environ['DATANET_BENCH_PY_SDK']
API_URL = os.environ['DATANET_BENCH_API_URL']
WS_URL = os.environ['DATANET_BENCH_WS_URL']
FRAME_CH = os.environ['DATANET_BENCH_FRAME_CHANNEL']
CHOP_CH = os.environ['DATANET_BENCH_CHOP_CHANNEL']
SECONDS = float(os.environ.get('DATANET_BENCH_SECONDS', '10'))
FPS = int(os.environ.get('DATANET_BENCH_FPS', '60'))
CHOP_COOKS = int(os.environ.get('DATANET_BENCH_CHOP_COOKS', '1000'))
WARMUP_FRAMES = 30
CHOP_FIELDS = 1000

perf = time.perf_counter_ns
T = {}
RECORDING = [False]


def source(name):
    with open(os.path.join(PY_SDK, name), encoding='utf-8') as f:
        return f.read()


def timed(key, fn):
    T.setdefault(key, [])

    def wrapper(*args, **kwargs):
        t0 = perf()
        try:
            return fn(*args, **kwargs)
        finally:
            if RECORDING[0]:
                T[key].append(perf() - t0)
    return wrapper


def summary(ns):
    """Microseconds: mean, p50, p99, max, n."""
    if not ns:
        return None
    s = sorted(ns)
    n = len(s)

    def at(q):
        return s[min(n - 1, max(0, int(-(-q * n // 1)) - 1))] / 1000.0
    return {'mean': sum(s) / n / 1000.0, 'p50': at(0.5), 'p99': at(0.99), 'max': s[-1] / 1000.0, 'n': n}


def frames_until(fake, cond, what, deadline=30.0):
    end = time.monotonic() + deadline
    while not cond():
        fake.frame()
        if time.monotonic() > end:
            raise AssertionError('timed out waiting for ' + what)
        time.sleep(0.002)


def main():
    fake = TDFakeProject(folder=tempfile.mkdtemp(prefix='datanet-bench-'), name='bench.toe')
    fake.install()
    comp = fake.op('/project1').create(baseCOMP, 'datanet')
    page = comp.appendCustomPage('DataNet')
    page.appendStr('Apiurl')[0].val = API_URL
    page.appendStr('Wsurl')[0].val = WS_URL
    page.appendStr('Channels')[0].val = FRAME_CH
    page.appendToggle('Autoconnect')[0].val = True
    page.appendInt('Maxrows')[0].val = 100
    page.appendStr('Status')[0].readOnly = True
    loader = comp.create(textDAT, 'DataNet')
    loader.text = source('DataNet.py')
    sink_dat = comp.create(textDAT, 'table_sink')
    sink_dat.text = source('table_sink.py')
    chop_dat = comp.create(textDAT, 'chop_values')
    chop_dat.text = source('chop_values.py')
    hook = comp.create(executeDAT, 'frame_hook')
    hook.text = source('frame_hook.py')
    for toggle in ('framestart', 'create', 'start', 'exit'):
        setattr(hook.par, toggle, True)
    rows = comp.create(tableDAT, 'rows')
    values = comp.create(scriptCHOP, 'values')
    values.par.callbacks = 'chop_values'
    values.par.setuppars.pulse()   # creates the CHOP's custom parameters, as DataNet.tox's build does

    frames_until(fake, lambda: comp.par.Status.eval() == 'Connected', 'Connected')
    dn = loader.module.dn
    frames_until(fake, lambda: dn.client.GetOccupancy(FRAME_CH) >= 1, 'sub_ack')

    # Timers around the SDK's own functions (looked up by name each frame, so replacing them is enough).
    hm = hook.module
    hm.onFrameStart = timed('hook', hm.onFrameStart)
    sm = sink_dat.module
    sm._take = timed('take', sm._take)
    sm.sink = timed('sink', sm.sink)
    cm = chop_dat.module
    cm.collect = timed('collect', cm.collect)
    cm.onCook = timed('cook', cm.onCook)
    facade = type(dn)
    plain_poll = facade.poll
    polled = []

    def poll(self, *args):
        t0 = perf()
        r = plain_poll(self, *args)
        if RECORDING[0]:
            T['poll'].append(perf() - t0)
            if r is not None:
                polled.append(int(r.Messages))
        return r
    T['poll'] = []
    facade.poll = poll

    print('READY', flush=True)
    if sys.stdin.readline().strip() != 'GO':
        raise SystemExit('expected GO')

    period = 1.0 / FPS
    total = int(SECONDS * FPS)
    frame_ns = []
    t_start = time.perf_counter()
    for k in range(total):
        target = t_start + k * period
        while True:
            left = target - time.perf_counter()
            if left <= 0:
                break
            time.sleep(left if left > 0.001 else 0)
        if k == WARMUP_FRAMES:
            RECORDING[0] = True
        t0 = perf()
        fake.frame()
        if RECORDING[0]:
            frame_ns.append(perf() - t0)
    RECORDING[0] = False
    wall = time.perf_counter() - t_start
    client = dn.client
    stats = client.Stats
    frame_result = {
        'frames': len(frame_ns), 'fps': FPS, 'wall_s': wall,
        'frame_total_us': summary(frame_ns), 'hook_us': summary(T['hook']), 'poll_us': summary(T['poll']),
        'sink_us': summary(T['sink']), 'take_us': summary(T['take']), 'cook_us': summary(T['cook']),
        'collect_us': summary(T['collect']),
        'messages_per_frame': (sum(polled) / len(polled)) if polled else 0,
        'messages_polled': sum(polled),
        'overruns': sum(1 for ns in T['hook'] if ns > period * 1e9),
        'table_rows': rows.numRows, 'chop_chans': len(values.chans()),
        'received': int(stats.Received), 'dispatched': int(stats.Dispatched),
        'dropped_inbox': int(stats.DroppedInboxOverflow), 'dropped_rows': int(stats.DroppedRows),
        'backlog_end': int(stats.InboxBacklog),
    }

    # Poll alone (no frame hook, no outputs): the stream is still arriving for the parent's extra half second.
    # Empty polls give the pythonnet call's own cost.
    # The rows of each such frame are converted both ways, alternately: cell by cell, or one joined string.
    direct, direct_msgs, empty = [], [], []
    per_cell, joined, cells_taken = [], [], []
    for i in range(40):
        time.sleep(period)
        t0 = perf()
        r = client.Poll()
        direct.append(perf() - t0)
        direct_msgs.append(int(r.Messages))
        batch = client.TakeRows(1000)
        t0 = perf()
        if i % 2 == 0:
            cells = list(batch.Cells)
            per_cell.append(perf() - t0)
        else:
            cells = str(batch.JoinCells()).split('\x1f')
            joined.append(perf() - t0)
        cells_taken.append(len(cells))
    for _ in range(200):
        t0 = perf()
        client.Poll()
        empty.append(perf() - t0)
    frame_result['poll_direct_us'] = summary(direct)
    frame_result['poll_direct_messages'] = (sum(direct_msgs) / len(direct_msgs)) if direct_msgs else 0
    frame_result['poll_empty_us'] = summary(empty)
    frame_result['cells_per_frame'] = (sum(cells_taken) / len(cells_taken)) if cells_taken else 0
    frame_result['cells_list_us'] = summary(per_cell)
    frame_result['cells_joined_us'] = summary(joined)

    # Script CHOP refresh of 1,000 numeric fields (one DataNet channel, prefixed names).
    values.par.Channels = CHOP_CH
    dn.Subscribe(CHOP_CH)
    frames_until(fake, lambda: client.GetOccupancy(CHOP_CH) >= 1, 'sub_ack (chop)')
    dn.Publish(CHOP_CH, {'f%d' % i: i * 0.25 for i in range(CHOP_FIELDS)})
    frames_until(fake, lambda: len(values.chans()) == CHOP_FIELDS, '1,000 CHOP channels')
    for key in ('cook', 'collect'):
        T[key] = []
    RECORDING[0] = True
    refresh = []
    for _ in range(CHOP_COOKS):
        t0 = perf()
        values.cook(force=True)
        refresh.append(perf() - t0)
    RECORDING[0] = False
    # The floor of a values-only refresh: CopyValues into a reused double[] + one bulk copy into array('d').
    import System
    buf = System.Array.CreateInstance(System.Double, CHOP_FIELDS)
    chans = System.Array[System.String]([CHOP_CH])
    lv = client.LastValues
    floor = []
    for _ in range(CHOP_COOKS):
        t0 = perf()
        n = lv.CopyValues(chans, True, buf)
        vals = array('d')
        vals.frombytes(memoryview(buf).cast('B'))
        floor.append(perf() - t0)
    assert n == CHOP_FIELDS and len(vals) == CHOP_FIELDS
    chop_result = {
        'fields': len(values.chans()), 'cooks': CHOP_COOKS,
        'refresh_us': summary(refresh), 'oncook_us': summary(T['cook']), 'collect_us': summary(T['collect']),
        'copyvalues_floor_us': summary(floor),
    }

    import clr  # noqa: F401  (already loaded: report its version)
    result = {
        'python': sys.version.split()[0],
        'pythonnet': getattr(sys.modules.get('clr'), '__version__', '?'),
        'runtime': dn.Runtime,
        'frame': frame_result,
        'chop': chop_result,
    }
    print('RESULT ' + json.dumps(result), flush=True)
    fake.exit()
    fake.uninstall()


if __name__ == '__main__':
    main()
