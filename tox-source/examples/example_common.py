"""Shared by the example builders (basic_subscribe.py, sensor_dashboard.py, publish_from_chop.py).

Each builder runs in TouchDesigner's Textport **in a new, empty project** (File > New: the
builder adds to /project1 and saves the project under the example's name):

    import runpy; runpy.run_path(r'C:/src/datanet-td/tox-source/examples/basic_subscribe.py', run_name='__main__')

It builds DataNet.tox with build_datanet_tox.py (or uses ``tox=``), loads it into /project1 as
``DataNet``, points it at the local gateway (Server = Local Gateway: http://127.0.0.1:8080 and
ws://127.0.0.1:8080; with no key a loopback gateway accepts the default one), lets the builder add
its own operators, and saves <repo>/build/examples/<name>.toe. Start the gateway
(``dotnet run --project DataNet.Cli -- gateway``), open the .toe: it connects and runs, no edits.
The SDK DLLs: put the release folder beside the .toe as ``DataNet``, set DATANET_SDK_DIR, or build
with ``one_file=True, sdk_folder=...`` so the .toe carries them.
"""

import os
import runpy

HERE = os.path.dirname(os.path.abspath(__file__))
TOX_SOURCE = os.path.dirname(HERE)
REPO = os.path.dirname(TOX_SOURCE)
LOCAL_API = 'http://127.0.0.1:8080'
LOCAL_WS = 'ws://127.0.0.1:8080'


def build_example(name, setup, out_dir=None, tox=None, api_url=LOCAL_API, ws_url=LOCAL_WS, **tox_options):
    """Build one example project: DataNet.tox into /project1 + setup(td, project1, datanet), saved
    as <out_dir>/<name>.toe. Returns the .toe path. api_url/ws_url: a gateway elsewhere (Server =
    Custom then); tox_options go to build_datanet_tox.build()."""
    import td
    out_dir = os.path.abspath(out_dir or os.path.join(REPO, 'build', 'examples'))
    os.makedirs(out_dir, exist_ok=True)
    if tox is None:
        build = runpy.run_path(os.path.join(TOX_SOURCE, 'build_datanet_tox.py'))['build']
        tox = build(out=os.path.join(out_dir, 'DataNet.tox'), **tox_options)
    project1 = td.op('/project1')
    datanet = project1.loadTox(tox)   # COMP_Class loadTox(filepath) -> the COMP
    datanet.nodeX, datanet.nodeY = 0, 0
    # Values for the saved file; the extension does the same when Server changes in the UI.
    datanet.par.Server = 'local' if (api_url, ws_url) == (LOCAL_API, LOCAL_WS) else 'custom'
    datanet.par.Apiurl = api_url
    datanet.par.Wsurl = ws_url
    datanet.par.Keysource = 'env'
    setup(td, project1, datanet)
    path = os.path.join(out_dir, name + '.toe')
    td.project.save(path)   # Project_Class save(path)
    print('DataNet example: saved ' + path)
    return path


def note(project1, name, text, x=0, y=-200):
    """A Text DAT explaining the example (what to look at, what to run)."""
    import td
    dat = project1.create(td.textDAT, name)
    dat.text = text
    dat.nodeX, dat.nodeY = x, y
    return dat
