"""Build DataNet.tox from the text in this repository. Run once in TouchDesigner's Textport:

    import runpy; runpy.run_path(r'C:/src/datanet-td/tox-source/build_datanet_tox.py', run_name='__main__')

It writes <repo>/build/DataNet.tox. With options (one-file DataNet.tox carrying the SDK DLLs):

    b = runpy.run_path(r'C:/src/datanet-td/tox-source/build_datanet_tox.py')['build']
    b(out=r'C:/release/DataNet.tox', one_file=True, sdk_folder=r'C:/release/DataNet', link_files=False)

What it builds (everything a TD user will see; names as in the network editor):

  DataNet            Base COMP, parent shortcut DataNet, extension DataNetExt (promoted),
                     custom pages DataNet / Output / Publish / Callbacks / About from
                     datanet_parameters.json (TDJSON)
    DataNet          Text DAT  loader (python/DataNet.py): the `dn` facade
    datanet_runtime  Text DAT  (python/datanet_runtime.py): .NET, pythonnet and DataNet.Td, imported by the loader
    DataNetExt       Text DAT  extension class (tox-source/DataNetExt.py)
    frame_hook       Execute DAT (python/frame_hook.py): Create/Start/Exit/Frame Start/Project Pre-Save on;
                     per frame: one dn.Frame() call, rows into `rows`, cook `values`, then the
                     extension (the component's controller: Status, counters, errors, publish)
    parexec          Parameter Execute DAT (tox-source/parexec.py) on '..': pulses and changes
    table_sink       Text DAT  (python/table_sink.py), used as a module by the frame hook
    rows             Table DAT  channel | from | timestamp | contentType | data, clamped to Maxlines
    chop_values      Text DAT  (python/chop_values.py), callbacks of `values`
    values           Script CHOP: the latest numeric fields, flattened (env/t, on, arr/0); with chop_values'
                     Loader/Channels/Prefix parameters (its onSetupParameters, called by the build)
    info_callbacks   Text DAT  (tox-source/info_chop.py), callbacks of `info`
    info             Script CHOP: connected, msgs_in_per_s, msgs_out_per_s, queued, dropped,
                     reconnects, latency_ms, occupancy
    out_rows         Out DAT   <- rows     (the component's DAT output)
    out_values       Out CHOP  <- values   (first CHOP output)
    out_info         Out CHOP  <- info     (second CHOP output)

With link_files=True (default) each Text/Execute DAT also has File = the repository file and
Sync to File on, so editing the .py in git updates the DAT; where that file does not exist (another
machine) the DAT keeps the text saved in the .tox. Use link_files=False for a release .tox.
one_file=True embeds every DLL of sdk_folder (or DATANET_SDK_DIR) in the component's VFS; on load
the Sdkfolder parameter's expression exports them once to a versioned per-user cache folder.

Against the project's TD fake the same script runs unchanged (tests: test_tox_build.py).
"""

import datetime
import hashlib
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(globals().get('__file__') or ''))
REPO = os.path.dirname(HERE)
COMP_NAME = 'DataNet'
EXT_OBJECT = "op('./DataNetExt').module.DataNetExt(me)"
SDKFOLDER_EXPR = "op('./DataNetExt').module.embedded_sdk_folder(me)"
PARAMETERS_JSON = 'datanet_parameters.json'
# The project's name without a save number or .toe (Show.7.toe -> Show): the same device from save to save.
# Project_Class name; re is one of the modules TD imports for expressions (Td_Module).
DEVICENAME_EXPR = "re.sub(r'(\\.\\d+)?(\\.toe)?$', '', project.name, flags=re.IGNORECASE) or project.name"
GUIDE = 'docs/touchdesigner.md'   # its name in the SDK folder, the repository and the VFS alike

# (name, type, source file: ('python'|'tox', file) or None, (nodeX, nodeY))
OPERATORS = (
    ('DataNet', 'textDAT', ('python', 'DataNet.py'), (0, 300)),
    ('datanet_runtime', 'textDAT', ('python', 'datanet_runtime.py'), (0, 450)),
    ('DataNetExt', 'textDAT', ('tox', 'DataNetExt.py'), (0, 150)),
    ('frame_hook', 'executeDAT', ('python', 'frame_hook.py'), (200, 300)),
    ('parexec', 'parameterexecuteDAT', ('tox', 'parexec.py'), (200, 150)),
    ('table_sink', 'textDAT', ('python', 'table_sink.py'), (400, 300)),
    ('rows', 'tableDAT', None, (600, 300)),
    ('chop_values', 'textDAT', ('python', 'chop_values.py'), (400, 100)),
    ('values', 'scriptCHOP', None, (600, 100)),
    ('info_callbacks', 'textDAT', ('tox', 'info_chop.py'), (400, -100)),
    ('info', 'scriptCHOP', None, (600, -100)),
    ('out_rows', 'outDAT', None, (800, 300)),
    ('out_values', 'outCHOP', None, (800, 100)),
    ('out_info', 'outCHOP', None, (800, -100)),
)
WIRES = (('rows', 'out_rows'), ('values', 'out_values'), ('info', 'out_info'))
# Parameter Execute watches these (not the read-only status parameters written every frame).
WATCHED = ('Active Connect Disconnect Reset Autoconnect Keysource Apikey Server Apiurl Wsurl Devicename '
           'Channels Sdkfolder Maxlines Clear Publish Createcallbacks Help')


def _td():
    import td   # TouchDesigner's module (in the Textport and in the TD fake alike)
    return td


def _read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def _version():
    ns = {}
    src = _read(os.path.join(HERE, 'DataNetExt.py'))
    for line in src.splitlines():
        if line.startswith('VERSION = '):
            exec(line, ns)
    return ns.get('VERSION', '0.0.0')


def _build_id():
    """Build date plus the git commit, when git is at hand (a label only)."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')
    try:
        commit = subprocess.run(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD'], capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except Exception:
        commit = ''
    return stamp + (' ' + commit if commit else '')


def parameter_list(spec):
    """The JSON file ({page: {name: attrs}}) as TDJSON's list form: one dict per parameter holding its
    own name, page and size, as Derivative's opToJSONOp writes them, so nothing is left to inference."""
    out = []
    for page, pars in spec.items():
        for name, attrs in pars.items():
            d = dict(attrs)
            d.update(name=name, page=page)
            d.setdefault('size', 1)
            out.append(d)
    return out


def apply_parameters(comp, json_path):
    """Custom pages and parameters from the JSON file, with TDJSON (docs.derivative.ca/TDJSON).
    password and readOnly are then set explicitly too: whether TDJSON carries them is not documented."""
    import TDJSON
    spec = json.loads(_read(json_path))
    TDJSON.addParametersFromJSONList(comp, parameter_list(spec), replace=True, setValues=True,
                                     destroyOthers=False, newAtEnd=True, fixParNames=False, setBuiltIns=False)
    for page, pars in spec.items():
        for name, attrs in pars.items():
            par = getattr(comp.par, name)
            if attrs.get('password'):   # Par_Class password: masks the display only
                par.password = True
            if attrs.get('readOnly'):
                par.readOnly = True
    return spec


def build(out=None, one_file=False, sdk_folder=None, link_files=True, python_dir=None, tox_dir=None,
          keep=False):
    """Build the DataNet COMP and save it. Returns the saved path (and the COMP when keep=True).

    out         where to save (default <repo>/build/DataNet.tox)
    one_file    embed the SDK DLLs (from sdk_folder, else DATANET_SDK_DIR) in the component's VFS
    link_files  File + Sync to File on the DATs (False: text only, for a release .tox)
    python_dir  folder of the python/ sources (default <repo>/python)
    keep        leave the built COMP in the project (default: it is deleted after saving)
    """
    td = _td()
    python_dir = os.path.abspath(python_dir or os.path.join(REPO, 'python'))
    tox_dir = os.path.abspath(tox_dir or HERE)
    out = os.path.abspath(out or os.path.join(REPO, 'build', COMP_NAME + '.tox'))
    for folder in (python_dir, tox_dir):
        if not os.path.isdir(folder):
            raise FileNotFoundError('DataNet build: source folder not found: ' + folder)

    # A scratch COMP keeps the name "DataNet" free of collisions with what the project holds.
    scratch = td.op('/').create(td.baseCOMP, 'datanet_build')   # COMP_Class create(OPtype, name)
    comp = scratch.create(td.baseCOMP, COMP_NAME)
    try:
        apply_parameters(comp, os.path.join(tox_dir, PARAMETERS_JSON))
        comp.par.Version = _version()
        comp.par.Build = _build_id()
        comp.par.Devicename.expr = DEVICENAME_EXPR

        ops = {}
        for name, optype, source, (x, y) in OPERATORS:
            o = comp.create(getattr(td, optype), name)
            o.nodeX, o.nodeY = x, y   # OP_Class nodeX/nodeY: the network editor position
            ops[name] = o
            if source is not None:
                path = os.path.join(python_dir if source[0] == 'python' else tox_dir, source[1])
                o.text = _read(path)   # DAT_Class text
                if link_files:   # Text_DAT File page: file, syncfile (Execute-type DATs: VERIFY, docs section 8)
                    o.par.file = path
                    o.par.syncfile = True
                if optype == 'textDAT':
                    o.par.language = 'python'   # Text_DAT language
        for src, dst in WIRES:
            ops[dst].inputConnectors[0].connect(ops[src])   # Connector_Class connect(target)

        ops['rows'].appendRow(['channel', 'from', 'timestamp', 'contentType', 'data'])   # DAT_Class appendRow
        ops['values'].par.callbacks = 'chop_values'   # Script_CHOP Callbacks DAT
        ops['info'].par.callbacks = 'info_callbacks'
        # `values` needs its Loader/Channels/Prefix parameters in the saved .tox. Script_CHOP runs
        # onSetupParameters "whenever the Setup Parameter button is pressed", but not documented is when:
        # it may be after pulse() returns, after the save below. So the build calls it itself.
        ops['chop_values'].module.onSetupParameters(ops['values'])

        hook = ops['frame_hook'].par   # Execute_DAT toggles
        hook.create = True       # boots when the component is dropped into a running project
        hook.start = True
        hook.exit = True         # disposes the client when TouchDesigner quits
        hook.framestart = True
        hook.projectpresave = True   # warns while Apikey holds a key the save writes into the .toe

        pe = ops['parexec'].par   # Parameter_Execute_DAT: OPs, Parameters, Custom, Built-In, Value Change, On Pulse
        pe.op = '..'
        pe.pars = WATCHED
        pe.custom = True
        pe.builtin = False
        pe.valuechange = True
        pe.onpulse = True

        if one_file:
            embed_sdk(comp, sdk_folder or os.environ.get('DATANET_SDK_DIR'))
            comp.par.Sdkfolder.expr = SDKFOLDER_EXPR

        comp.par.parentshortcut = COMP_NAME   # COMP Common page: parent.DataNet from inside
        comp.par.ext0object = EXT_OBJECT      # COMP Extensions page (derivative.ca/UserGuide/Extensions)
        comp.par.ext0promote = True
        path = comp.save(out, createFolders=True)   # COMP_Class save(filepath, createFolders) -> path
    except BaseException:
        scratch.destroy()   # OP_Class destroy()
        raise
    print('DataNet build: saved %s (%s, %d operators%s)'
          % (path, comp.par.Version.eval(), len(OPERATORS), ', SDK embedded' if one_file else ''))
    if keep:
        return path, comp
    scratch.destroy()
    return path


def embed_sdk(comp, sdk_folder):
    """Every DLL of the SDK folder into comp.vfs, and the guide (docs/touchdesigner.md, from the SDK
    folder or else this repository) for the Help pulse, plus sdk-id.txt = version + sha256 of those
    files, which names the cache folder they are exported to on load."""
    if not sdk_folder or not os.path.isfile(os.path.join(sdk_folder, 'DataNet.Td.dll')):
        raise FileNotFoundError('one_file needs sdk_folder (or DATANET_SDK_DIR): the folder holding '
                                'DataNet.Td.dll and its DLLs; got %r' % (sdk_folder,))
    digest = hashlib.sha256()
    files = [(n, os.path.join(sdk_folder, n)) for n in sorted(os.listdir(sdk_folder)) if n.lower().endswith('.dll')]
    for guide in (os.path.join(sdk_folder, GUIDE), os.path.join(REPO, GUIDE)):
        if os.path.isfile(guide):
            files.append((GUIDE, guide))
            break
    for name, path in files:
        comp.vfs.addFile(path, overrideName=name)   # VFS_Class addFile(filePath, overrideName=None)
        digest.update(name.encode('utf-8') + b'\0')
        digest.update(_read_bytes(path))
    sdk_id = '%s-%s' % (_version(), digest.hexdigest()[:16])
    comp.vfs.addByteArray(bytearray(sdk_id.encode('utf-8')), 'sdk-id.txt')   # VFS_Class addByteArray(byteArray, name)
    return sdk_id


def _read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


if __name__ == '__main__':
    if not globals().get('__file__'):
        raise SystemExit("run it with runpy so it knows where the repository is: "
                         "import runpy; runpy.run_path(r'<repo>/tox-source/build_datanet_tox.py', run_name='__main__')")
    build()
