"""The loader's routes and their error messages: SDK folder discovery, .NET discovery per OS,
the zero-pip bootstrap, the pythonnet-package route, reuse of a loaded clr, AddReference once,
credentials, and handler arity. Scenarios that must start without .NET loaded run in a child Python."""
import json
import os
import shutil
import sys
import textwrap
import unittest

import dn_testkit as kit


def _touch(path, data=b''):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


CHILD_PRELUDE = textwrap.dedent('''
    import json, sys
    import dn_testkit as kit
    def report(**kw):
        print('RESULT ' + json.dumps(kw))
''')


def _child(code, load=True, **env):
    code = textwrap.dedent(code)
    if load:
        code = 'mod = kit.exec_loader()\n' + code
    rc, out = kit.run_child(CHILD_PRELUDE + code, env=env)
    for line in out.splitlines():
        if line.startswith('RESULT '):
            return json.loads(line[7:]), out
    raise AssertionError('child printed no RESULT (exit %d):\n%s' % (rc, out))


class SdkFolderTests(unittest.TestCase):
    """Parameter -> DATANET_SDK_DIR -> beside the .toe, saying exactly what is missing."""

    def test_missing_folder_names_the_variable_the_path_and_the_fix(self):
        missing = os.path.join(kit.temp_dir(self), 'nope')
        res, out = _child('report(error=mod.dn.Error, status=mod.dn.Status, ready=mod.dn.Ready)',
                          DATANET_SDK_DIR=missing)
        self.assertFalse(res['ready'])
        self.assertIn('DataNet SDK folder not found', res['error'])
        self.assertIn('DATANET_SDK_DIR: %s (no such folder)' % missing, res['error'])
        self.assertIn('set the Sdkfolder parameter or the DATANET_SDK_DIR environment variable', res['error'])
        self.assertTrue(res['status'].startswith('Error: DataNet SDK folder not found'))
        self.assertIn('DataNet SDK folder not found', out, 'the error is printed once at load')

    def test_empty_folder_lists_both_missing_dlls(self):
        empty = kit.temp_dir(self)
        res, _ = _child('report(error=mod.dn.Error)', DATANET_SDK_DIR=empty)
        self.assertIn('(missing DataNet.Td.dll and Python.Runtime.dll)', res['error'])

    def test_folder_without_python_runtime_says_so(self):
        d = kit.temp_dir(self)
        shutil.copy(os.path.join(kit.SDK_DIR, 'DataNet.Td.dll'), d)
        res, _ = _child('report(error=mod.dn.Error)', DATANET_SDK_DIR=d)
        self.assertIn('(missing Python.Runtime.dll)', res['error'])

    def test_calls_raise_the_setup_error_until_fixed(self):
        res, _ = _child('''
            try:
                mod.dn.Connect('ak_x')
                report(raised=None)
            except mod.DataNetSetupError as e:
                report(raised=str(e))
        ''', DATANET_SDK_DIR=os.path.join(kit.temp_dir(self), 'nope'))
        self.assertIn('DataNet SDK folder not found', res['raised'])

    def test_explicit_folder_wins_and_is_not_second_guessed(self):
        d = kit.temp_dir(self)
        res, _ = _child('''
            try:
                mod._runtime.find_sdk_folder(%r)
                report(raised=None)
            except mod.DataNetSetupError as e:
                report(raised=str(e))
        ''' % d, DATANET_SDK_DIR=kit.SDK_DIR)
        self.assertIn('argument: %s (missing DataNet.Td.dll and Python.Runtime.dll)' % d, res['raised'])
        self.assertNotIn('DATANET_SDK_DIR', res['raised'].split('Fix:')[0])

    def test_beside_the_toe(self):
        project = kit.temp_dir(self)
        for n in ('DataNet.Td.dll', 'Python.Runtime.dll'):
            _touch(os.path.join(project, 'DataNet', n))
        res, _ = _child('''
            import types
            mod.project = types.SimpleNamespace(folder=%r, name='show')
            report(folder=mod._runtime.find_sdk_folder(project_folder=mod._project_folder()))
        ''' % project, DATANET_SDK_DIR=None)
        self.assertEqual(res['folder'], os.path.join(project, 'DataNet'))

    def test_nothing_configured_says_where_it_looked(self):
        res, _ = _child('report(error=mod.dn.Error)', DATANET_SDK_DIR=None)
        self.assertIn('nowhere: no Sdkfolder parameter, DATANET_SDK_DIR is not set', res['error'])


class DotnetDiscoveryTests(unittest.TestCase):
    """Where hostfxr is looked for on Windows, macOS and Linux (pure path logic, any OS)."""

    def setUp(self):
        import datanet_runtime  # importable alone: no TD, and no runtime needed for these functions
        self.m = datanet_runtime

    def test_macos_arm64_order(self):
        c = self.m.dotnet_root_candidates(
            arch='arm64', platform_name='darwin', environ={'HOME': '/Users/a'},
            read_file=lambda p: {'/etc/dotnet/install_location_arm64': '/opt/dn-arm'}.get(p),
            which=lambda: None)
        self.assertEqual([p for _, p in c], ['/opt/dn-arm', '/usr/local/share/dotnet', '/Users/a/.dotnet'])

    def test_macos_x64_under_rosetta_prefers_the_x64_subfolder(self):
        c = self.m.dotnet_root_candidates(arch='x64', platform_name='darwin', environ={'HOME': '/Users/a'},
                                           read_file=lambda p: None, which=lambda: None)
        self.assertEqual([p for _, p in c][:2], ['/usr/local/share/dotnet/x64', '/usr/local/share/dotnet'])

    def test_environment_comes_first_arch_specific_before_generic(self):
        c = self.m.dotnet_root_candidates(arch='arm64', platform_name='darwin',
                                           environ={'DOTNET_ROOT': '/g', 'DOTNET_ROOT_ARM64': '/a', 'HOME': '/h'},
                                           read_file=lambda p: None, which=lambda: None)
        self.assertEqual([w for w, _ in c][:2], ['DOTNET_ROOT_ARM64', 'DOTNET_ROOT'])

    def test_windows_x64_order(self):
        c = self.m.dotnet_root_candidates(
            arch='x64', platform_name='win32',
            environ={'ProgramFiles': r'C:\Program Files', 'LOCALAPPDATA': r'C:\Users\a\AppData\Local'},
            registry=lambda arch: r'D:\dotnet' if arch == 'x64' else None, which=lambda: None)
        self.assertEqual([p for _, p in c], [r'D:\dotnet', r'C:\Program Files\dotnet\x64', r'C:\Program Files\dotnet',
                                             r'C:\Users\a\AppData\Local\Microsoft\dotnet'])

    def test_linux_uses_registered_location_then_defaults_then_path(self):
        c = self.m.dotnet_root_candidates(
            arch='x64', platform_name='linux', environ={'HOME': '/home/a'},
            read_file=lambda p: '/opt/dotnet' if p == '/etc/dotnet/install_location' else None,
            which=lambda: '/snap/bin/dotnet')
        self.assertEqual([p for _, p in c], ['/opt/dotnet', '/usr/share/dotnet', '/usr/lib/dotnet',
                                             '/usr/lib64/dotnet', '/snap/bin', '/home/a/.dotnet'])

    def test_legacy_install_location_file_with_arch_lines(self):
        d = kit.temp_dir(self)
        f = os.path.join(d, 'install_location')
        with open(f, 'w') as fh:
            fh.write('/usr/local/share/dotnet\n%s=/opt/dotnet-%s\n' % (self.m.process_arch(), self.m.process_arch()))
        self.assertEqual(self.m._read_first_line(f), '/opt/dotnet-' + self.m.process_arch())

    def test_finds_newest_hostfxr_and_runtimes(self):
        root = kit.temp_dir(self)
        name = self.m.hostfxr_name()
        for v in ('8.0.1', '10.0.2', '9.0.0-rc.1'):
            _touch(os.path.join(root, 'host', 'fxr', v, name))
        for v in ('8.0.1', '10.0.2'):
            os.makedirs(os.path.join(root, 'shared', 'Microsoft.NETCore.App', v))
        hostfxr, runtimes = self.m.inspect_dotnet_root(root)
        self.assertEqual(hostfxr, os.path.join(root, 'host', 'fxr', '10.0.2', name))
        self.assertEqual(runtimes, ['8.0.1', '10.0.2'])

    def test_only_old_runtimes_is_an_error_naming_them_and_the_download(self):
        root = kit.temp_dir(self)
        _touch(os.path.join(root, 'host', 'fxr', '6.0.36', self.m.hostfxr_name()))
        os.makedirs(os.path.join(root, 'shared', 'Microsoft.NETCore.App', '6.0.36'))
        with self.assertRaises(self.m.DataNetSetupError) as cm:
            self.m.find_dotnet('x64', environ={'DOTNET_ROOT': root, 'HOME': root}, platform_name='darwin',
                               read_file=lambda p: None, which=lambda: None)
        msg = str(cm.exception)
        self.assertIn('No .NET 8+ runtime for x64 found', msg)
        self.assertIn('DOTNET_ROOT: %s (runtimes 6.0.36, none is 8 or newer)' % root, msg)
        self.assertIn('https://dotnet.microsoft.com/download/dotnet', msg)


class ZeroPipFailureTests(unittest.TestCase):
    """The zero-pip route's own errors, in a child that has no .NET loaded yet."""

    def _boot_with_roots(self, roots):
        return _child('''
            mod._runtime.dotnet_root_candidates = lambda arch=None, **kw: %r
            try:
                mod.dn.Boot(%r)
                report(raised=None, route=mod.dn.Runtime)
            except mod.DataNetSetupError as e:
                report(raised=str(e))
        ''' % (roots, kit.SDK_DIR), DATANET_SDK_DIR=os.path.join(kit.temp_dir(self), 'none-yet'))

    def test_no_dotnet_at_all(self):
        empty = kit.temp_dir(self)
        res, _ = self._boot_with_roots([('DOTNET_ROOT', empty)])
        self.assertIn('No .NET 8+ runtime', res['raised'])
        self.assertIn('DOTNET_ROOT: %s (no host/fxr)' % empty, res['raised'])
        self.assertIn('set DOTNET_ROOT to that folder', res['raised'])

    def test_hostfxr_of_the_wrong_architecture(self):
        root = kit.temp_dir(self)
        import datanet_runtime
        _touch(os.path.join(root, 'host', 'fxr', '8.0.0', datanet_runtime.hostfxr_name()), b'not a library')
        os.makedirs(os.path.join(root, 'shared', 'Microsoft.NETCore.App', '8.0.0'))
        res, _ = self._boot_with_roots([('DOTNET_ROOT', root)])
        self.assertIn('could not load', res['raised'])
        self.assertIn('into this %s process' % datanet_runtime.process_arch(), res['raised'])
        self.assertIn('Install the %s .NET 8+ runtime' % datanet_runtime.process_arch(), res['raised'])

    def test_real_dotnet_boots_zero_pip(self):
        res, out = _child('''
            rt = mod.dn.Boot(%r)
            import clr
            report(route=rt['route'], ready=mod.dn.Ready, error=mod.dn.Error)
        ''' % kit.SDK_DIR, DATANET_SDK_DIR=kit.SDK_DIR)
        self.assertEqual(res['route'], 'zero-pip', out)
        self.assertTrue(res['ready'], out)
        self.assertIsNone(res['error'])


FAKE_PYTHONNET = '''
import atexit, os
import dn_testkit as kit
calls = []
def load(runtime=None, **params):
    calls.append([runtime, params])   # what clr_loader would be given
    if runtime == 'broken':
        raise RuntimeError('no such runtime')
    if os.environ.get('FAKE_PYTHONNET_FAIL'):
        raise RuntimeError('Failed to create a default .NET runtime')
    # Stand-in for clr_loader: start the real CoreCLR so that `import clr` is real afterwards.
    kit.bootstrap_only()._bootstrap_coreclr(kit.SDK_DIR)
    atexit.register(unload)
def unload():
    open(os.environ['FAKE_PYTHONNET_MARKER'], 'w').write('unloaded at exit')
'''


class PythonnetRouteTests(unittest.TestCase):
    """Route 2: the pythonnet package, with an explicit runtime, and no atexit unload."""

    def setUp(self):
        self.pkgs = kit.temp_dir(self)
        os.makedirs(os.path.join(self.pkgs, 'pythonnet'))
        with open(os.path.join(self.pkgs, 'pythonnet', '__init__.py'), 'w') as f:
            f.write(FAKE_PYTHONNET)
        self.marker = os.path.join(kit.temp_dir(self), 'marker')

    def _run(self, code, **env):
        env.setdefault('DATANET_SDK_DIR', kit.SDK_DIR)
        env['FAKE_PYTHONNET_MARKER'] = self.marker
        return _child('import sys; sys.path.insert(0, %r)\n' % self.pkgs + textwrap.dedent(code), load=False, **env)

    def test_coreclr_chosen_explicitly_outside_windows(self):
        res, out = self._run('''
            mod = kit.exec_loader()
            import pythonnet
            report(calls=pythonnet.calls, route=mod.dn.Runtime['route'], ready=mod.dn.Ready, error=mod.dn.Error,
                   root=mod._runtime.find_dotnet()[0])
        ''')
        self.assertEqual(res['route'], 'pythonnet', out)
        self.assertTrue(res['ready'], out)
        expected = ['netfx', {}] if sys.platform == 'win32' else ['coreclr', {'dotnet_root': res['root']}]
        self.assertEqual(res['calls'], [expected])
        self.assertFalse(os.path.exists(self.marker), 'pythonnet.unload must not run at exit')

    def test_coreclr_gets_the_dotnet_root_the_loader_found_without_path(self):
        import datanet_runtime
        root = datanet_runtime.find_dotnet()[0]
        # Like TD started from the macOS Dock: no shell PATH; the root comes from the loader's own lookup.
        res, out = self._run('''
            mod = kit.exec_loader()
            import pythonnet
            report(calls=pythonnet.calls, ready=mod.dn.Ready)
        ''', PATH='/nonexistent', DOTNET_ROOT=root, DATANET_RUNTIME='coreclr')
        self.assertTrue(res['ready'], out)
        self.assertEqual(res['calls'], [['coreclr', {'dotnet_root': root}]])

    def test_datanet_runtime_overrides(self):
        res, _ = self._run('''
            mod = kit.exec_loader()
            import pythonnet
            report(calls=pythonnet.calls)
        ''', DATANET_RUNTIME='mono')
        self.assertEqual(res['calls'], [['mono', {}]])

    def test_zeropip_override_skips_the_package(self):
        res, _ = self._run('''
            mod = kit.exec_loader()
            import pythonnet
            report(calls=pythonnet.calls, route=mod.dn.Runtime['route'])
        ''', DATANET_RUNTIME='zeropip')
        self.assertEqual(res, {'calls': [], 'route': 'zero-pip'})

    def test_failure_names_the_runtime_and_the_fix(self):
        res, _ = self._run('''
            mod = kit.exec_loader()
            report(error=mod.dn.Error)
        ''', FAKE_PYTHONNET_FAIL='1')
        self.assertIn('pythonnet could not load the coreclr runtime', res['error'])
        self.assertIn('install the .NET 8+ runtime', res['error'])
        self.assertIn('DATANET_RUNTIME=zeropip', res['error'])

    def test_unknown_runtime_name(self):
        res, _ = self._run('''
            mod = kit.exec_loader()
            report(error=mod.dn.Error)
        ''', DATANET_RUNTIME='quantum')
        self.assertIn("DATANET_RUNTIME='quantum' is not one of", res['error'])

    def test_project_python_packages_folder_is_put_on_sys_path(self):
        project = kit.temp_dir(self)
        shutil.copytree(os.path.join(self.pkgs, 'pythonnet'), os.path.join(project, 'python_packages', 'pythonnet'))
        res, out = _child('''
            import types
            m = types.ModuleType('DataNet')
            m.project = types.SimpleNamespace(folder=%r, name='show')
            exec(compile(kit.loader_source(), 'DataNet.py', 'exec'), m.__dict__)
            report(route=m.dn.Runtime and m.dn.Runtime['route'], first=sys.path[0])
        ''' % project, load=False, DATANET_SDK_DIR=kit.SDK_DIR, FAKE_PYTHONNET_MARKER=self.marker)
        self.assertEqual(res['route'], 'pythonnet', out)
        self.assertEqual(res['first'], os.path.join(project, 'python_packages'))


class ReuseTests(unittest.TestCase):
    """Route 1 and load-once: an already loaded clr is reused; DataNet.Td is referenced once."""

    def test_existing_clr_is_reused(self):
        res, out = _child('''
            kit.bootstrap_only()._bootstrap_coreclr(kit.SDK_DIR)   # another component loaded clr
            sys.modules.pop('datanet_td_runtime', None)           # ... and we know nothing of it
            m = kit.exec_loader()
            report(route=m.dn.Runtime['route'], ready=m.dn.Ready)
        ''', load=False, DATANET_SDK_DIR=kit.SDK_DIR)
        self.assertEqual(res, {'route': 'existing', 'ready': True}, out)

    def test_reexecution_loads_nothing_twice(self):
        res, out = _child('''
            import System
            def count():
                return sum(1 for a in System.AppDomain.CurrentDomain.GetAssemblies()
                           if a.GetName().Name in ('DataNet.Td', 'Python.Runtime'))
            first = mod.dn.Runtime
            n = count()
            for _ in range(5):
                m = kit.exec_loader()
            report(same=m.dn.Runtime is first, before=n, after=count(), clr_paths=sys.path.count(kit.SDK_DIR))
        ''', DATANET_SDK_DIR=kit.SDK_DIR)
        self.assertEqual(res, {'same': True, 'before': 2, 'after': 2, 'clr_paths': 1}, out)

    def test_other_folder_after_load_is_refused_with_restart_advice(self):
        other = kit.temp_dir(self)
        for n in ('DataNet.Td.dll', 'Python.Runtime.dll'):
            shutil.copy(os.path.join(kit.SDK_DIR, n), other)
        res, out = _child('''
            mod.dn.Boot(%r)
            report(folder=sys.modules['datanet_td_runtime'].assembly_folder)
        ''' % other, DATANET_SDK_DIR=kit.SDK_DIR)
        self.assertEqual(os.path.normcase(res['folder']), os.path.normcase(os.path.abspath(kit.SDK_DIR)))
        self.assertIn('is ignored until the process (TouchDesigner) restarts', out)


class CredentialsTests(unittest.TestCase):

    def setUp(self):
        import DataNet
        self.m = DataNet
        self.home = kit.temp_dir(self)
        self.saved = {k: os.environ.get(k) for k in ('HOME', 'DATANET_API_KEY', 'DATANET_CREDENTIALS',
                                                     'DATANET_PROFILE', 'XDG_CONFIG_HOME', 'DATANET_API_URL')}
        for k in self.saved:
            os.environ.pop(k, None)
        os.environ['HOME'] = self.home
        self.addCleanup(self._restore)

    def _restore(self):
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    def _write(self, text, path=None):
        path = path or os.path.join(self.home, '.datanet', 'credentials')
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_paths_per_os(self):
        env = {'HOME': '/h', 'APPDATA': r'C:\Users\a\AppData\Roaming'}
        self.assertEqual(self.m.credentials_paths(env, 'darwin'),
                         ['/h/.datanet/credentials', '/h/Library/Application Support/DataNet/credentials'])
        self.assertEqual(self.m.credentials_paths(env, 'win32')[1],
                         os.path.join(r'C:\Users\a\AppData\Roaming', 'DataNet', 'credentials'))
        self.assertEqual(self.m.credentials_paths({'HOME': '/h'}, 'linux')[1], '/h/.config/datanet/credentials')

    def test_file_default_profile_and_named_profile(self):
        self._write('[default]\napi_key = ak_file_default\napi_url = http://127.0.0.1:9\n[studio]\napi_key = ak_studio\n')
        s = self.m._resolve_settings({}, {})
        self.assertEqual((s['api_key'], s['api_url']), ('ak_file_default', 'http://127.0.0.1:9'))
        self.assertIn('credentials file', s['key_source'])
        os.environ['DATANET_PROFILE'] = 'studio'
        self.assertEqual(self.m._resolve_settings({}, {})['api_key'], 'ak_studio')

    def test_precedence_argument_parameter_env_file_local_default(self):
        """The order docs/touchdesigner.md section 3 gives, for a component without a Keysource parameter."""
        from tdfake import TDFakeProject, baseCOMP, textDAT
        fake = TDFakeProject(folder=self.home)
        fake.install()
        self.addCleanup(fake.uninstall)
        comp = fake.op('/project1').create(baseCOMP, 'net')
        apikey = comp.appendCustomPage('DataNet').appendStr('Apikey')[0]
        self.m.me = comp.create(textDAT, 'DataNet')   # as if this loader ran in that DAT: its component's parameters count
        self.addCleanup(delattr, self.m, 'me')
        creds = self._write('[default]\napi_key = ak_file\n')
        os.environ['DATANET_API_KEY'] = 'ak_env'
        apikey.val = 'ak_par'

        def resolve(**explicit):
            s = self.m._resolve_settings(explicit, {})
            return s['api_key'], s['key_source']
        self.assertEqual(resolve(api_key='ak_arg'), ('ak_arg', 'argument'))
        with kit.captured():
            self.assertEqual(resolve(), ('ak_par', 'Apikey parameter'))
        apikey.val = ''
        self.assertEqual(resolve(), ('ak_env', 'DATANET_API_KEY'))
        del os.environ['DATANET_API_KEY']
        self.assertEqual(resolve()[0], 'ak_file')
        os.remove(creds)
        self.assertEqual(resolve(api_url='http://127.0.0.1:8080'), ('ak_local', 'local gateway default'))

    def test_loopback_gateway_without_key_uses_the_local_dev_key(self):
        s = self.m._resolve_settings({'api_url': 'http://127.0.0.1:8080'}, {})
        self.assertEqual((s['api_key'], s['key_source']), ('ak_local', 'local gateway default'))
        self.assertIsNone(self.m._resolve_settings({'api_url': 'https://api.datanet.art'}, {})['api_key'])

    def test_broken_file_is_ignored_without_quoting_it(self):
        self._write('api_key = ak_SECRET_no_section\n')
        with kit.captured() as out:
            s = self.m._resolve_settings({}, {})
        self.assertIsNone(s['api_key'])
        self.assertIn('could not be read', out.getvalue())
        self.assertNotIn('ak_SECRET', out.getvalue())

    def test_percent_signs_are_plain_characters(self):
        self._write('[default]\napi_key = ak_50%_off%(x)s\n')
        self.assertEqual(self.m._resolve_settings({}, {})['api_key'], 'ak_50%_off%(x)s')

    def test_resolved_keys_are_scrubbed_from_log_lines(self):
        os.environ['DATANET_API_KEY'] = 'ak_scrub_me_123'
        self.m._resolve_settings({}, {})
        with kit.captured() as out:
            self.m._log('auth failed for ak_scrub_me_123 at x', key='scrub-test')
        self.assertNotIn('ak_scrub_me_123', out.getvalue())
        self.assertIn('***', out.getvalue())


class ArityTests(unittest.TestCase):
    """Handlers are called with as many of (channel, data, from_, timestamp) as they accept."""

    def setUp(self):
        import DataNet
        self.adapt = DataNet._adapt

    def test_shapes(self):
        got = []
        self.adapt(lambda: got.append(()), 4)('c', 1, 'f', 2)
        self.adapt(lambda ch, data: got.append((ch, data)), 4)('c', 1, 'f', 2)
        self.adapt(lambda *a: got.append(a), 4)('c', 1, 'f', 2)
        self.adapt(lambda ch, data, frm, ts, extra=None: got.append((ch, data, frm, ts, extra)), 4)('c', 1, 'f', 2)

        class H:
            def on(self, ch, data, from_):
                got.append((ch, data, from_))
        self.adapt(H().on, 4)('c', 1, 'f', 2)
        self.assertEqual(got, [(), ('c', 1), ('c', 1, 'f', 2), ('c', 1, 'f', 2, None), ('c', 1, 'f')])

    def test_builtins_pass_through(self):
        self.assertIs(self.adapt(print, 4), print)


if __name__ == '__main__':
    unittest.main()
