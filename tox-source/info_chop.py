"""DataNet.tox: callbacks of the Script CHOP ``info`` (connection health as CHOP channels).

One sample per channel, like TD's Info CHOP: connected (0/1), msgs_in_per_s, msgs_out_per_s
(one-second windows), queued (offline publishes waiting), dropped (lost to full queues),
reconnects, latency_ms, occupancy (devices on the subscribed channels; -1 unknown).
The values are computed by the component's extension once per frame (DataNetExt.Info), which
then forces this CHOP to cook: .NET data is no TD dependency (derivative.ca/UserGuide/Script_CHOP).
"""

CHANNELS = ('connected', 'msgs_in_per_s', 'msgs_out_per_s', 'queued', 'dropped', 'reconnects',
            'latency_ms', 'occupancy')


def onSetupParameters(scriptOp, *args):
    return


def onPulse(par, *args):
    return


def onCook(scriptOp, *args):
    try:
        info = scriptOp.parent().ext.DataNetExt.Info
    except Exception:
        info = {}   # the extension is (re)initialising: zeros for one frame
    scriptOp.clear()
    scriptOp.numSamples = 1
    for name in CHANNELS:
        scriptOp.appendChan(name).vals = [float(info.get(name, -1.0 if name == 'occupancy' else 0.0))]
