"""DataNet SDK for TouchDesigner: Script CHOP callbacks for the latest numeric values.

Set this DAT as the Callbacks DAT of a Script CHOP (docs.derivative.ca/Script_CHOP). The CHOP
outputs one single-sample channel per numeric field of the chosen DataNet channels, flattened in
C# to TD-legal channel names (``env/t``, ``env/h``, ``on``, ``arr/0``; TD channel names allow
only A-Z a-z 0-9 _ : / -, derivative.ca/UserGuide/Channel), optionally prefixed with the DataNet
channel (``sensors/env/env/t``).

* names and values come from ``LastValues.Collect`` in one call when the layout changes, and
  only values (``LastValues.CopyValues`` into the same .NET ``double[]``) otherwise; they are
  copied in bulk (``memoryview`` into an ``array('d')``): no call into .NET per channel;
* the order is the order fields were first seen, stable between cooks;
* the last values are held while disconnected, and across a reload of the loader;
* a Script CHOP recooks only when something it read *from TD* changed. .NET data is not such a
  dependency, so the frame hook calls ``cook(force=True)`` on this CHOP after each ``poll()``
  that changed values (derivative.ca/UserGuide/Script_CHOP; docs.derivative.ca/OP_Class cook()).

Custom parameters (page "DataNet", created by onSetupParameters, which TD runs when the CHOP's Setup
Parameters button is pressed, docs.derivative.ca/Script_CHOP; DataNet.tox's build presses it; until
then the defaults below apply):
  Loader   the loader Text DAT (default: a DAT named "DataNet" beside this CHOP)
  Channels space-separated DataNet channels; empty = every channel with values
  Prefix   prefix channel names with the DataNet channel (default on)
  Clear    pulse: forget held values

TD calls used: scriptOp.appendCustomPage, Page.appendDAT/appendStr/appendToggle/appendPulse,
Par.val/.default/.eval(), scriptOp.clear(), scriptOp.numSamples, scriptOp.appendChan(name),
Channel.vals, OP.parent(), OP.op(), OP.path (docs.derivative.ca/ScriptCHOP_Class, CHOP_Class,
Channel_Class, Page_Class, Par_Class, OP_Class).
"""

import sys
from array import array

LOADER = 'DataNet'
STATE_MODULE = 'datanet_td_runtime'   # the loader's process-wide state module


def _held():
    """Held names/values per Script CHOP path, in the loader's process-wide module (survives reloads)."""
    st = sys.modules.get(STATE_MODULE)
    if st is None:
        return {}
    held = getattr(st, 'chop_held', None)
    if held is None:
        held = st.chop_held = {}
    return held


def _par(scriptOp, name, default=None):
    p = getattr(scriptOp.par, name, None)
    if p is None:
        return default
    return p.eval()


def _loader_dn(scriptOp):
    loader = _par(scriptOp, 'Loader')
    if not loader:
        loader = scriptOp.parent().op(LOADER)
    elif isinstance(loader, str):
        loader = scriptOp.parent().op(loader)
    if loader is None:
        return None
    module = loader.module
    return getattr(module, 'dn', None)


def collect(dn, channels, prefix, cache):
    """Names and values from dn.LastValues. While the layout (fields, channels, prefix, client) stays
    the same, only values cross: ``CopyValues`` into the .NET array kept from the last ``Collect``
    (docs/benchmarks.md: about 3 us for 1,000 fields, against about 46 us for names and values).

    ``cache`` is a dict kept per CHOP; returns (names list, array('d') values)."""
    client = getattr(dn, 'client', None) if dn is not None else None
    if client is None:
        return cache.get('names', []), cache.get('values', array('d'))
    if cache.get('client') is not client:
        # Each pythonnet attribute lookup costs a crossing (measured 4 us for LastValues, 6 to 13 us for
        # a method found anew): look them up once per client.
        lv = client.LastValues
        cache.update(client=client, lv=lv, copy_values=lv.CopyValues)
    lv = cache['lv']
    chans = None   # null: every channel with values, in first-seen order
    if channels:
        key_channels = tuple(channels)
        if cache.get('channels_key') != key_channels:
            import System
            cache['channels_key'] = key_channels
            cache['channels_arr'] = System.Array[System.String](list(channels))
        chans = cache['channels_arr']
    key = (getattr(dn, 'client_generation', 0), tuple(channels or ()), bool(prefix))
    count = -1
    if cache.get('key') == key:
        raw = cache['raw']
        # LastValues is filled on the client's receive thread: the copy checks, under its lock, that the layout is
        # still the one these names came with (-1 when fields or channels changed: collect names again).
        count = int(cache['copy_values'](chans, raw, cache['layout_version']))
    if count < 0:
        cv = lv.Collect(chans, bool(prefix))
        raw = cv.Values
        count = len(raw)
        if count == 0 and cache.get('names'):
            return cache['names'], cache['values']   # nothing yet (new client after a reload): hold
        cache['names'] = [str(n) for n in cv.Names]
        cache['key'] = key
        cache['layout_version'] = int(cv.LayoutVersion)
        cache['raw'] = raw
    values = array('d')
    if count:
        values.frombytes(memoryview(raw).cast('B')[:count * values.itemsize])
    cache['values'] = values
    return cache['names'], values


def onSetupParameters(scriptOp, *args):
    page = scriptOp.appendCustomPage('DataNet')
    p = page.appendDAT('Loader', label='Loader DAT')[0]
    p.default = LOADER
    p.val = LOADER
    page.appendStr('Channels', label='Channels')
    p = page.appendToggle('Prefix', label='Prefix with Channel')[0]
    p.default = True
    p.val = True
    page.appendPulse('Clear', label='Clear Held Values')


def onPulse(par, *args):
    if par.name == 'Clear':
        _held().pop(par.owner.path, None)
        par.owner.cook(force=True)


def onCook(scriptOp, *args):
    cache = _held().setdefault(scriptOp.path, {})
    channels = (_par(scriptOp, 'Channels', '') or '').split()
    prefix = _par(scriptOp, 'Prefix', True)
    try:
        dn = _loader_dn(scriptOp)
    except Exception:
        dn = None   # the loader failed to compile: hold what we have, the loader shows its error
    names, values = collect(dn, channels, prefix, cache)
    scriptOp.clear()
    scriptOp.numSamples = 1
    for name, value in zip(names, values):
        scriptOp.appendChan(name).vals = [value]
