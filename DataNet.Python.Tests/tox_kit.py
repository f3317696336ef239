"""Helpers of the tox-source suites (test_tox_build.py, test_tox_runtime.py): where tox-source is,
building DataNet.tox and the examples in a fresh TD fake, tearing a fake down cleanly."""
import os
import runpy
import sys
import tempfile

import dn_testkit as kit
from tdfake import TDFakeProject

_out = os.path.join(kit.HERE, '..', 'ToxSource')   # the test output's copy (PythonTests.cs)
TOX_SOURCE = os.path.abspath(os.environ.get('DATANET_TEST_TOX_SOURCE')
                             or (_out if os.path.isdir(_out) else os.path.join(kit.REPO, 'tox-source')))
EXAMPLES = os.path.join(TOX_SOURCE, 'examples')
BUILDER = os.path.join(TOX_SOURCE, 'build_datanet_tox.py')


def builder():
    """The build script's namespace, loaded the way the Textport line loads it (runpy)."""
    return runpy.run_path(BUILDER)


def new_fake(test, folder=None, name='ToxTest.toe'):
    """A fresh fake (this thread = TD's main thread), installed; torn down at cleanup."""
    fake = TDFakeProject(folder=folder or kit.temp_dir(test), name=name)
    fake.install()
    test.addCleanup(teardown, fake)
    return fake


def teardown(fake):
    """Delete every DataNet component (their extensions dispose their clients), then forget the
    loader's per-path entries so the next test's components start clean."""
    try:
        for comp in list(fake.root.findChildren(maxDepth=None)):
            if comp.valid and comp.name.startswith('DataNet') and hasattr(comp, 'vfs') and comp.op('DataNet') is not None:
                comp.destroy()
    finally:
        st = sys.modules.get('datanet_td_runtime')
        if st is not None:
            for entry in list(st.entries.values()):
                if entry.client is not None:
                    entry.client.Dispose()
                    entry.client = None
            st.entries.clear()
        fake.uninstall()
    assert fake.threadViolations == [], fake.threadViolations   # nothing touched TD off the main thread


def build_tox(test, defer_setup_parameters=False, **options):
    """Build DataNet.tox in its own fake (like a fresh TD session) and return the saved path.
    defer_setup_parameters: Setup Parameters pulses run their callback at the next frame (TD may)."""
    folder = kit.temp_dir(test)
    fake = TDFakeProject(folder=folder, name='Build.toe', deferSetupParameters=defer_setup_parameters)
    fake.install()
    try:
        options.setdefault('out', os.path.join(folder, 'DataNet.tox'))
        options.setdefault('python_dir', kit.PY_SDK)
        path = builder()['build'](**options)
        assert fake.callbackErrors == [], fake.callbackErrors
        assert fake.threadViolations == [], fake.threadViolations
        return path
    finally:
        fake.uninstall()


def build_example(test, name, folder=None, **options):
    """Run tox-source/examples/<name>.py's build() in a fresh fake; returns the .toe path."""
    folder = folder or kit.temp_dir(test)
    fake = TDFakeProject(folder=folder, name=name + '.toe')
    fake.install()
    try:
        options.setdefault('python_dir', kit.PY_SDK)
        path = runpy.run_path(os.path.join(EXAMPLES, name + '.py'))['build'](out_dir=folder, **options)
        assert fake.callbackErrors == [], fake.callbackErrors
        build_example.unknown_pars = sorted(set(fake.unknownPars))   # parameters of types the fake only names
        return path
    finally:
        teardown(fake)


def point_at_gateway(comp):
    """Server = Custom with the in-process gateway's URLs (its port is chosen at random)."""
    api, ws = kit.gateway_kwargs()['api_url'], kit.gateway_kwargs()['ws_url']
    comp.par.Server = 'custom'
    comp.par.Apiurl = api
    comp.par.Wsurl = ws


def scratch_folder():
    return tempfile.mkdtemp(prefix='datanet-tox-')
