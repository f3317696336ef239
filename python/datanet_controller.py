"""DataNet SDK for TouchDesigner: the default controller of a hand-pasted network.

The frame hook (frame_hook.py) only drives the frame; a **controller** owns what a user configures
and sees. DataNet.tox's controller is its extension (tox-source/DataNetExt.py). A network pasted by
hand (loader, frame hook, table sink, CHOP callbacks) uses this small one: put it in a Text DAT
named ``datanet_controller`` beside the frame hook (or on sys.path).

It owns:
  * the optional custom parameters of the frame hook's parent component, read here only:
    Channels (space-separated, subscribed at boot), Autoconnect (toggle: connect at boot), Active
    (toggle: off keeps it from connecting at boot), Maxlines or Maxrows (table length, default 100),
    Status (read-only string, written when it changes). The loader reads the connection ones itself
    when connecting (Devicename, Apikey, Keysource, Apiurl, Wsurl, Sdkfolder, Profile);
  * errors on the nodes: what stops DataNet from working (setup, fatal errors, a key saved in the
    file) on the loader DAT, failures of the frame hook's own callbacks on the frame hook DAT;
  * boot-time subscribe and connect, and retrying the boot (dn.RetryBoot, every 2 s) while the SDK
    folder or .NET cannot be found (fixing the Sdkfolder parameter is then enough).

The interface the frame hook calls (lower-case, like an extension's unpromoted members):
onDataNetBoot(), onDataNetFrame(frame, result), onDataNetExit(), onDataNetSave(),
onDataNetError(where, exc), dataNetMaxRows().
"""

LOADER = 'DataNet'
DEFAULT_MAX_ROWS = 100   # like the FIFO DAT's default Maximum Lines

_controllers = {}        # frame hook DAT path -> DefaultController


def controller_for(hook):
    """The controller of the frame hook DAT ``hook`` (one per hook, kept while this module lives)."""
    ctl = _controllers.get(hook.path)
    if ctl is None or ctl.hook is not hook:
        ctl = _controllers[hook.path] = DefaultController(hook)
    return ctl


class DefaultController:
    """Parameters, Status, errors on the nodes and boot for a hand-pasted network; see the module docstring."""

    def __init__(self, hook):
        self.hook = hook
        self.comp = hook.parent()   # OP_Class parent(): the component holding the network
        self._status = None
        self._shown = None          # what the loader DAT shows now
        self._frame_error = None

    # -- parameters --------------------------------------------------------------------------------

    def _par(self, name):
        p = getattr(self.comp.par, name, None)   # OP_Class par: a missing custom parameter is no attribute
        return None if p is None else p.eval()   # Par_Class eval(): the value in any parameter mode

    def _dn(self):
        loader = self.hook.parent().op(LOADER)   # OP_Class op(): the loader beside the hook
        if loader is None:
            raise LookupError('no loader DAT named %r next to %s' % (LOADER, self.hook.path))
        return loader, loader.module.dn

    def dataNetMaxRows(self):
        for name in ('Maxlines', 'Maxrows'):
            value = self._par(name)
            if value is not None:
                return int(value)
        return DEFAULT_MAX_ROWS

    # -- lifecycle ---------------------------------------------------------------------------------

    def onDataNetBoot(self):
        loader, dn = self._dn()
        if dn.Ready:
            for channel in (self._par('Channels') or '').split():
                dn.Subscribe(channel)
            active = self._par('Active')
            if self._par('Autoconnect') and (active is None or active):
                dn.Connect()
        self._clear_frame_error()
        self._show(loader, dn)

    def onDataNetExit(self):
        self._dn()[1].Dispose()

    def onDataNetSave(self):
        loader, dn = self._dn()
        dn.CheckSavedKey(saving=True)
        self._show(loader, dn)

    # -- per frame ---------------------------------------------------------------------------------

    def onDataNetFrame(self, frame, result):
        loader, dn = self._dn()
        if not dn.Ready and dn.RetryBoot():
            self.onDataNetBoot()
        status = result.status if result is not None else dn.Status
        if status != self._status:
            self._status = status
            p = getattr(self.comp.par, 'Status', None)
            if p is not None:
                p.val = status   # Par_Class val: only on change (each write is a parameter change event)
        self._clear_frame_error()
        self._show(loader, dn)

    # -- errors on the nodes -----------------------------------------------------------------------

    def _show(self, loader, dn):
        """What stops DataNet, on the loader DAT (OP_Class addScriptError/clearScriptErrors: valid outside a cook)."""
        problems = dn.Problems
        if problems != self._shown:
            self._shown = problems
            loader.clearScriptErrors()
            for text in problems:
                loader.addScriptError(text)

    def onDataNetError(self, where, exc):
        """A frame hook callback failed: on the frame hook DAT, and in the log (rate-limited by the loader)."""
        message = 'DataNet %s: %s: %s' % (where, type(exc).__name__, exc)
        if message == self._frame_error:
            return   # shown already; a failure repeating every frame is printed once
        self._frame_error = message
        self.hook.clearScriptErrors()
        self.hook.addScriptError(message)
        try:
            self.hook.parent().op(LOADER).module._log(message, 'error', key='frame_hook:' + where)
        except Exception:
            print(message)

    def _clear_frame_error(self):
        if self._frame_error is not None:
            self._frame_error = None
            self.hook.clearScriptErrors()
