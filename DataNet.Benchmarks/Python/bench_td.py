"""DataNet benchmark driver: the TouchDesigner side in real CPython 3.11 + pythonnet (zero-pip) with the TD fake.

Started by `dotnet run -c Release --project DataNet.Benchmarks -- e2e` (EndToEnd/TdFramePhase.cs), which passes the
gateway and channels in DATANET_BENCH_* variables and publishes the stream. Protocol on stdout/stdin:
  READY                   the network is built, connected (both designs); nothing subscribed yet
  (stdin) GO <design> <rate>   design sdk|sdk-pythonnet|guide: subscribe, say SUBSCRIBED, run frames at FPS for SECONDS while
                          the parent publishes <rate> msg/s, unsubscribe, then PHASE {json}
  SUBSCRIBED              the design's subscription is acknowledged: the parent starts publishing
  (stdin) CHOP            the Script CHOP refresh of 1,000 fields, then RESULT {json} and exit 0

Designs, same gateway, same stream, same frame loop:
  sdk    the component's network (python/): the Execute DAT's onFrameStart with, inside it, dn.Frame(): ONE call
         into .NET (poll, the newest 100 rows, the CHOP's values, status), the table sink and the Script CHOP's
         forced cook. The SDK's part of the frame is dn.Frame() (the rest is TD's operators, faked here in Python),
         split into the call (_call_frame: through ctypes and PollFrameEntryPoint) and the reading (_read_frame).
  sdk-pythonnet  the same, with the call made through pythonnet's method binder (PollFrame, the record as a .NET
         string), as before the C entry point: the A/B of that change in the same run.
  guide  the build guide's pure-Python design (../shared/seed/touchdesigner-build-guide.md), standard library
         only: a socket thread parses frames into a queue.Queue; poll() from the frame hook takes at most 50
         items and calls the subscribers (json.loads per message, a last-values dict and a row list as its
         handler would keep). Its part of the frame is poll(). (The guide uses websocket-client; a small
         standard-library WebSocket reader stands in for it: PyPI is not reachable here.)
"""
import base64
import json
import os
import queue
import socket
import struct
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

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
GUIDE_BATCH = 50   # the guide's poll() dispatches at most this many items per call

perf = time.perf_counter_ns
T = {}
RECORDING = [False]


def source(name):
    with open(os.path.join(PY_SDK, name), encoding='utf-8') as f:
        return f.read()


def timed(key, fn):
    def wrapper(*args, **kwargs):
        t0 = perf()
        try:
            return fn(*args, **kwargs)
        finally:
            if RECORDING[0]:
                T.setdefault(key, []).append(perf() - t0)
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


def run_frames(frame):
    """FPS frames for SECONDS; the first WARMUP_FRAMES are not recorded. Returns the recorded frame times."""
    period = 1.0 / FPS
    frame_ns = []
    t_start = time.perf_counter()
    for k in range(int(SECONDS * FPS)):
        target = t_start + k * period
        while True:
            left = target - time.perf_counter()
            if left <= 0:
                break
            time.sleep(left if left > 0.001 else 0)
        RECORDING[0] = k >= WARMUP_FRAMES
        t0 = perf()
        frame()
        if RECORDING[0]:
            frame_ns.append(perf() - t0)
    RECORDING[0] = False
    return frame_ns


# ---------------------------------------------------------------------------------------------------------
# The build guide's design, standard library only.
# ---------------------------------------------------------------------------------------------------------

class GuideClient:
    """The guide's DataNet.py, reduced to what a frame costs: a socket thread that parses every frame into a
    queue.Queue, and poll(), which takes at most GUIDE_BATCH items and calls the channel's subscribers."""

    def __init__(self, api_url, ws_url):
        body = json.dumps({'apiKey': 'ak_bench', 'deviceId': 'bench-guide'}).encode()
        req = urllib.request.Request(api_url + '/auth/token', data=body, method='POST',
                                     headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=10) as resp:
            token = json.loads(resp.read())['token']
        url = urllib.parse.urlparse(ws_url)
        self.sock = socket.create_connection((url.hostname, url.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(('GET /ws HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                           'Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n'
                           'Sec-WebSocket-Protocol: bearer, %s\r\n\r\n' % (url.hostname, url.port, key, token)).encode())
        head = b''
        while b'\r\n\r\n' not in head:
            head += self.sock.recv(1)
        if b' 101 ' not in head.split(b'\r\n')[0]:
            raise RuntimeError('guide client: handshake refused: %r' % head[:80])
        self.sock.settimeout(None)
        self.queue = queue.Queue()
        self.subscriptions = {}
        self.acked = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._run, daemon=True).start()

    def _read(self, n):
        data = b''
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def _run(self):
        try:
            while True:
                b1, b2 = self._read(2)
                n = b2 & 0x7F
                if n == 126:
                    n = struct.unpack('>H', self._read(2))[0]
                elif n == 127:
                    n = struct.unpack('>Q', self._read(8))[0]
                payload = self._read(n)
                opcode = b1 & 0x0F
                if opcode == 9:
                    self._send(payload, 0xA)
                elif opcode == 1:
                    env = json.loads(payload)   # the guide's on_message: parse, queue publishes
                    if env.get('op') == 'pub' and 'ch' in env:
                        self.queue.put(('__msg__', env))
                    elif env.get('type') == 'sub_ack':
                        self.acked.add(env.get('ch'))
                elif opcode == 8:
                    return
        except (EOFError, OSError):
            return

    def _send(self, data, opcode=1):
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x80 | opcode]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack('>H', n))
        with self.lock:
            self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def subscribe(self, channel, callback):
        self.subscriptions.setdefault(channel, []).append(callback)
        self._send(json.dumps({'op': 'sub', 'ch': channel}).encode())

    def unsubscribe(self, channel):
        self.subscriptions.pop(channel, None)
        self.acked.discard(channel)
        self._send(json.dumps({'op': 'unsub', 'ch': channel}).encode())

    def poll(self):
        """The guide's poll(), as written there (at most GUIDE_BATCH items per call)."""
        dispatched = 0
        while not self.queue.empty() and dispatched < GUIDE_BATCH:
            item = self.queue.get_nowait()
            dispatched += 1
            if item[0] == '__msg__':
                env = item[1]
                ch = env.get('ch', '')
                data = env.get('d')
                from_ = env.get('from', '')
                ts = env.get('ts', int(time.time() * 1000))
                for cb in self.subscriptions.get(ch, []):
                    try:
                        cb(ch, data, from_, ts)
                    except Exception as e:
                        print('DataNet: callback error on %s: %s' % (ch, e))
        return dispatched


# ---------------------------------------------------------------------------------------------------------

def build_sdk_network(fake):
    comp = fake.op('/project1').create(baseCOMP, 'datanet')
    page = comp.appendCustomPage('DataNet')
    page.appendStr('Apiurl')[0].val = API_URL
    page.appendStr('Wsurl')[0].val = WS_URL
    page.appendToggle('Autoconnect')[0].val = True
    page.appendInt('Maxrows')[0].val = 100
    page.appendStr('Status')[0].readOnly = True
    for name in ('DataNet', 'datanet_runtime', 'datanet_controller', 'table_sink', 'chop_values'):
        comp.create(textDAT, name).text = source(('DataNet' if name == 'DataNet' else name) + '.py')
    hook = comp.create(executeDAT, 'frame_hook')
    hook.text = source('frame_hook.py')
    for toggle in ('framestart', 'create', 'start', 'exit'):
        setattr(hook.par, toggle, True)
    rows = comp.create(tableDAT, 'rows')
    values = comp.create(scriptCHOP, 'values')
    values.par.callbacks = 'chop_values'
    comp.op('chop_values').module.onSetupParameters(values)   # its parameters, as DataNet.tox's build gives them
    return comp, comp.op('DataNet'), hook, rows, values


def pythonnet_call_frame(self, max_rows, values, known):
    """The same frame through pythonnet's method binder (DataNetClient.PollFrame, the record as a .NET string), as
    the facade called it before the C entry point: design 'sdk-pythonnet', for an A/B in the same run."""
    client = self._entry.client
    channels = None
    if values is not None and values.channels:
        cache = self._entry.bridge.setdefault('bench_channels', {})
        channels = cache.get(values.channels)
        if channels is None:
            import System
            channels = cache[values.channels] = System.Array[System.String](list(values.channels))
    method = self._entry.bridge.get('bench_PollFrame') or self._entry.bridge.setdefault('bench_PollFrame', client.PollFrame)
    if values is None:
        return method(max_rows, None, False, 0, 0, known)
    return method(max_rows, channels, values.prefix, values._address(), len(values.values), known)


def sdk_phase(fake, comp, loader, hook, rows, values, rate, via):
    dn = loader.module.dn
    dn.Subscribe(FRAME_CH)
    frames_until(fake, lambda: dn.client.GetOccupancy(FRAME_CH) >= 1, 'sub_ack')
    print('SUBSCRIBED', flush=True)
    T.clear()
    hm = hook.module
    plain_hook = hm.onFrameStart
    hm.onFrameStart = timed('hook', plain_hook)
    facade = type(dn)
    plain_frame = facade.Frame
    polled = []

    def frame(self, *args):
        t0 = perf()
        r = plain_frame(self, *args)
        if RECORDING[0]:
            T.setdefault('sdk_part', []).append(perf() - t0)
            if r is not None:
                polled.append(r.messages)
        return r
    facade.Frame = frame
    sm = comp.op('table_sink').module
    plain_sink = sm.sink
    sm.sink = timed('sink', plain_sink)
    cm = comp.op('chop_values').module
    plain_cook = cm.onCook
    cm.onCook = timed('cook', plain_cook)
    # The SDK's part, split: the call into .NET (crossing, .NET work, the record back) and the Python reading it.
    plain_read, plain_call = facade._read_frame, facade._call_frame
    facade._read_frame = timed('sdk_read', plain_read)
    facade._call_frame = timed('sdk_call', pythonnet_call_frame if via == 'pythonnet' else plain_call)
    stats0 = dn.client.Stats
    frame_ns = run_frames(fake.frame)
    hm.onFrameStart, facade.Frame, sm.sink, cm.onCook = plain_hook, plain_frame, plain_sink, plain_cook
    facade._read_frame, facade._call_frame = plain_read, plain_call
    stats = dn.client.Stats
    dn.Unsubscribe(FRAME_CH)
    return {
        'design': 'sdk-pythonnet' if via == 'pythonnet' else 'sdk', 'rate': rate, 'frames': len(frame_ns), 'fps': FPS,
        'frame_total_us': summary(frame_ns), 'hook_us': summary(T.get('hook')),
        'sdk_part_us': summary(T.get('sdk_part')), 'sdk_call_us': summary(T.get('sdk_call')),
        'sdk_read_us': summary(T.get('sdk_read')), 'sink_us': summary(T.get('sink')), 'cook_us': summary(T.get('cook')),
        'messages_per_frame': (sum(polled) / len(polled)) if polled else 0,
        'received': int(stats.Received) - int(stats0.Received),
        'dispatched': int(stats.Dispatched) - int(stats0.Dispatched),
        'dropped_inbox': int(stats.DroppedInboxOverflow) - int(stats0.DroppedInboxOverflow),
        'backlog_end': int(stats.InboxBacklog),
        'table_rows': rows.numRows, 'chop_chans': len(values.chans()),
    }


def guide_phase(fake, guide, rate):
    last_values, table_rows = {}, []

    def on_message(ch, data, from_, ts):   # what the guide's handlers keep: the newest values and a row
        if isinstance(data, dict):
            last_values.update((k, v) for k, v in data.items() if isinstance(v, (int, float)))
        table_rows.append([ch, from_, ts, json.dumps(data)])
        del table_rows[:-100]
    guide.subscribe(FRAME_CH, on_message)
    frames_until(fake, lambda: FRAME_CH in guide.acked, 'guide sub_ack')
    print('SUBSCRIBED', flush=True)
    T.clear()
    polled = []

    def frame():
        t0 = perf()
        n = guide.poll()
        if RECORDING[0]:
            T.setdefault('guide_part', []).append(perf() - t0)
            polled.append(n)
        fake.frame()
    frame_ns = run_frames(frame)
    guide.unsubscribe(FRAME_CH)
    backlog = guide.queue.qsize()
    # The next phase starts clean: wait until the socket thread has read what was still in flight (it may lag
    # behind the stream), then empty the queue.
    last, quiet = -1, 0
    while quiet < 5:
        time.sleep(0.1)
        size = guide.queue.qsize()
        quiet, last = (quiet + 1, size) if size == last else (0, size)
    while not guide.queue.empty():
        guide.queue.get_nowait()
    return {
        'design': 'guide', 'rate': rate, 'frames': len(frame_ns), 'fps': FPS,
        'frame_total_us': summary(frame_ns), 'guide_part_us': summary(T.get('guide_part')),
        'messages_per_frame': (sum(polled) / len(polled)) if polled else 0,
        'backlog_end': backlog,
    }


def chop_phase(fake, loader, values):
    dn = loader.module.dn
    values.par.Channels = CHOP_CH
    dn.Subscribe(CHOP_CH)
    frames_until(fake, lambda: dn.client.GetOccupancy(CHOP_CH) >= 1, 'sub_ack (chop)')
    dn.Publish(CHOP_CH, {'f%d' % i: i * 0.25 for i in range(CHOP_FIELDS)})
    frames_until(fake, lambda: len(values.chans()) == CHOP_FIELDS, '1,000 CHOP channels')
    buf = values.par.callbacks.eval().module.values_for(values)
    T.clear()
    RECORDING[0] = True
    frame_part, refresh = [], []
    for i in range(CHOP_COOKS):
        t0 = perf()
        dn.Frame(-1, buf)   # what the frame hook does for the CHOP: values into its buffer
        frame_part.append(perf() - t0)
        t0 = perf()
        values.cook(force=True)
        refresh.append(perf() - t0)
    RECORDING[0] = False
    return {'fields': len(values.chans()), 'cooks': CHOP_COOKS,
            'frame_call_us': summary(frame_part), 'cook_us': summary(refresh)}


def call_cost(fake, loader, values):
    """The fixed cost of the frame's call, nothing queued: back to back (warm) and after a frame's pause (how a
    frame hook calls: the first call into .NET after the process slept costs far more), against a bare Poll()."""
    dn = loader.module.dn
    client = dn.client
    buf = values.par.callbacks.eval().module.values_for(values)

    frame = lambda: dn.Frame(100, buf)   # noqa: E731  (quiet and as before: answered "unchanged")

    def frame_in_full():   # the same frame with no last result kept: .NET sends the whole record, Python reads it
        dn._entry.bridge.pop('last', None)
        return dn.Frame(100, buf)
    poll = client.Poll
    record = lambda: client.PollFrame(100, None, False, 0, 0, -1)   # noqa: E731  (the record through pythonnet)
    occupancy = client.GetOccupancy
    pythonnet_floor = lambda: occupancy(FRAME_CH)   # noqa: E731  (a trivial method through pythonnet's binder)
    import ctypes
    labs = ctypes.CDLL(None).labs   # a trivial C function through ctypes: the floor of any ctypes call
    labs.restype, labs.argtypes = ctypes.c_long, [ctypes.c_long]
    numbers = list(range(300))
    cases = {'frame': frame, 'frame_in_full': frame_in_full, 'poll': poll, 'pollframe_pythonnet': record, 'pythonnet_floor': pythonnet_floor,
             'ctypes_floor': lambda: labs(-3), 'python_floor': lambda: sum(numbers)}
    out = {}
    for pause, label, n in ((0, 'warm', 500), (1.0 / FPS, 'after_pause', 120)):
        runs = {k: [] for k in cases}
        for _ in range(n):   # interleaved, so that the machine's load falls on every case alike
            for k, fn in cases.items():
                if pause:
                    time.sleep(pause)
                t0 = perf()
                fn()
                runs[k].append(perf() - t0)
        for k in cases:
            out['%s_%s_us' % (k, label)] = summary(runs[k])
    return out


def main():
    fake = TDFakeProject(folder=tempfile.mkdtemp(prefix='datanet-bench-'), name='bench.toe')
    fake.install()
    comp, loader, hook, rows, values = build_sdk_network(fake)
    frames_until(fake, lambda: comp.par.Status.eval() == 'Connected', 'Connected')
    guide = GuideClient(API_URL, WS_URL)
    print('READY', flush=True)
    phases = []
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == 'GO':
            design, rate = words[1], int(words[2])
            phase = (guide_phase(fake, guide, rate) if design == 'guide'
                     else sdk_phase(fake, comp, loader, hook, rows, values, rate, 'pythonnet' if design == 'sdk-pythonnet' else 'ctypes'))
            phases.append(phase)
            print('PHASE ' + json.dumps(phase), flush=True)
        elif words[0] == 'CHOP':
            break
    cost = call_cost(fake, loader, values)
    chop = chop_phase(fake, loader, values)
    import clr  # noqa: F401  (already loaded: report its version)
    result = {
        'python': sys.version.split()[0],
        'pythonnet': getattr(sys.modules.get('clr'), '__version__', '?'),
        'runtime': loader.module.dn.Runtime,
        'numpy': loader.module._numpy() is not None,
        'phases': phases,
        'call_cost': cost,
        'chop': chop,
    }
    print('RESULT ' + json.dumps(result), flush=True)
    fake.exit()
    fake.uninstall()


if __name__ == '__main__':
    main()
