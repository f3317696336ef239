"""DataNet SDK for TouchDesigner: Script CHOP callbacks for the latest numeric values.

Set this DAT as the Callbacks DAT of a Script CHOP (docs.derivative.ca/Script_CHOP). The CHOP
outputs one single-sample channel per numeric field of the chosen DataNet channels, flattened in
C# to TD-legal channel names (``env/t``, ``env/h``, ``on``, ``arr/0``; TD channel names allow
only A-Z a-z 0-9 _ : / -, derivative.ca/UserGuide/Channel), optionally prefixed with the DataNet
channel (``project_local_env/env/t``).

* the values arrive with the frame hook's one call into .NET (``dn.Frame(..., values)``), which writes
  them straight into this CHOP's ValuesBuffer (``values_for``): this callback makes no call into .NET;
* while the layout (names) stays the same, a cook writes the values into the existing channels:
  no ``clear()``, no ``appendChan``, no names; when it changes, the channels are rebuilt;
* the order is the order fields were first seen, stable between cooks;
* the last values are held while disconnected, and across a reload of the loader;
* a Script CHOP recooks only when something it read *from TD* changed. .NET data is not such a
  dependency, so the frame hook calls ``cook(force=True)`` on this CHOP when the values changed
  (derivative.ca/UserGuide/Script_CHOP; docs.derivative.ca/OP_Class cook()).
* CHOP samples are 32-bit floats: integers above 16,777,216 (such as millisecond timestamps) lose
  precision; read those from the table or a handler instead (docs/touchdesigner.md).

Custom parameters (page "DataNet", created by onSetupParameters, which TD runs when the CHOP's Setup
Parameters button is pressed, docs.derivative.ca/Script_CHOP; DataNet.tox's build presses it; until
then the defaults below apply):
  Loader   the loader Text DAT (default: a DAT named "DataNet" beside this CHOP)
  Channels space-separated DataNet channels; empty = every channel with values
  Prefix   prefix channel names with the DataNet channel (default on)
  Clear    pulse: forget held values

TD calls used: scriptOp.appendCustomPage, Page.appendDAT/appendStr/appendToggle/appendPulse,
Par.val/.default/.eval(), scriptOp.clear(), scriptOp.numSamples, scriptOp.appendChan(name),
scriptOp.chans(), Channel[0] =, OP.parent(), OP.op(), OP.path (docs.derivative.ca/ScriptCHOP_Class,
CHOP_Class, Channel_Class, Page_Class, Par_Class, OP_Class).
"""

LOADER = 'DataNet'


def _par(scriptOp, name, default=None):
    p = getattr(scriptOp.par, name, None)
    if p is None:
        return default
    return p.eval()


def _loader_module(scriptOp):
    loader = _par(scriptOp, 'Loader')
    if not loader:
        loader = scriptOp.parent().op(LOADER)
    elif isinstance(loader, str):
        loader = scriptOp.parent().op(loader)
    return loader.module if loader is not None else None


def _dn(scriptOp):
    module = _loader_module(scriptOp)
    return getattr(module, 'dn', None) if module is not None else None


def values_for(scriptOp):
    """This CHOP's ValuesBuffer (kept by the loader, dn.ValuesFor), selecting its Channels and Prefix; the frame
    hook hands it to dn.Frame()."""
    dn = _dn(scriptOp)
    if dn is None:
        return None
    buf = dn.ValuesFor(scriptOp.path)
    buf.select((_par(scriptOp, 'Channels', '') or '').split(), _par(scriptOp, 'Prefix', True))
    return buf


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
        dn = _dn(par.owner)
        if dn is not None:
            dn.ForgetValues(par.owner.path)
        par.owner.cook(force=True)


def onCook(scriptOp, *args):
    try:
        dn = _dn(scriptOp)
    except Exception:
        dn = None   # the loader failed to compile: it shows its error; nothing to show here
    buf = dn.ValuesFor(scriptOp.path) if dn is not None else None
    if buf is None or buf.layout is None and not buf.names:
        scriptOp.clear()
        return
    names, count = buf.names, buf.count
    values = buf.values[:count]
    if hasattr(values, 'tolist'):
        values = values.tolist()   # NumPy: one bulk conversion, not one per channel
    chans = scriptOp.chans()
    if buf.layout == getattr(buf, 'shown_layout', None) and len(chans) == count and scriptOp.numSamples == 1:
        for chan, value in zip(chans, values):   # the layout is unchanged: values into the existing channels
            chan[0] = value
        return
    scriptOp.clear()
    scriptOp.numSamples = 1
    for name, value in zip(names, values):
        scriptOp.appendChan(name)[0] = value
    buf.shown_layout = buf.layout
