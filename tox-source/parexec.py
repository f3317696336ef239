"""DataNet.tox: callbacks of the Parameter Execute DAT ``parexec``.

It watches the component's own custom parameters (op '..', only the names in its Parameters
field) and routes every change to the extension, Derivative's usual wiring: without it an
extension is deaf to its parameters (docs.derivative.ca/Parameter_Execute_DAT). The read-only
status parameters are not watched, so the per-frame counters cause no events here.
"""


def _ext(par):
    return par.owner.ext.DataNetExt


def onValueChange(par, prev, *args):
    _ext(par).onParValueChange(par, prev)


def onPulse(par, *args):
    _ext(par).onParPulse(par)


def onValuesChanged(changes, *args):
    return


def onExpressionChange(par, val, prev, *args):
    return


def onExportChange(par, val, prev, *args):
    return


def onEnableChange(par, val, prev, *args):
    return


def onModeChange(par, val, prev, *args):
    return
