"""setup_packages.py (pip route): TD's bundled interpreter, never TouchDesigner itself; --target into
a project-local folder; sys.path; harmless re-runs. Fake TD install layouts, dry runs, a stub runner."""
import os
import shutil
import subprocess
import sys
import unittest

import dn_testkit as kit
import setup_packages as sp
from tdfake import TDFakeProject


def _touch(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'wb').close()
    return path


class InterpreterTests(unittest.TestCase):

    def test_windows_layout(self):
        root = kit.temp_dir(self)
        td_exe = _touch(os.path.join(root, 'TouchDesigner', 'bin', 'TouchDesigner.exe'))
        py = _touch(os.path.join(root, 'TouchDesigner', 'bin', 'python.exe'))
        found = sp.find_interpreter(executable=td_exe, platform_name='win32',
                                    base_prefix=os.path.join(root, 'TouchDesigner', 'bin'), in_td=True)
        self.assertEqual(found, py)

    def test_macos_layout(self):
        root = kit.temp_dir(self)
        contents = os.path.join(root, 'TouchDesigner.app', 'Contents')
        td_exe = _touch(os.path.join(contents, 'MacOS', 'TouchDesigner'))
        py = _touch(os.path.join(contents, 'Frameworks', 'Python.framework', 'Versions', '3.11', 'bin', 'python3'))
        found = sp.find_interpreter(executable=td_exe, platform_name='darwin',
                                    base_prefix=os.path.join(contents, 'Frameworks', 'Python.framework',
                                                             'Versions', '3.11'), in_td=True)
        self.assertEqual(found, py)

    def test_never_touchdesigner_itself(self):
        root = kit.temp_dir(self)
        td_exe = _touch(os.path.join(root, 'bin', 'TouchDesigner.exe'))
        with self.assertRaises(RuntimeError) as cm:
            sp.find_interpreter(executable=td_exe, platform_name='win32', base_prefix=os.path.join(root, 'bin'),
                                in_td=True)
        self.assertIn('not a Python', str(cm.exception))
        self.assertIn(os.path.join(root, 'bin', 'python.exe'), str(cm.exception))

    def test_inside_td_sys_executable_is_not_used_even_if_named_like_python(self):
        root = kit.temp_dir(self)
        fake = _touch(os.path.join(root, 'bin', 'python3.11'))
        with self.assertRaises(RuntimeError):
            sp.find_interpreter(executable=os.path.join(root, 'TouchDesigner'), platform_name='linux',
                                base_prefix=os.path.join(root, 'nowhere'), in_td=True)
        self.assertTrue(os.path.exists(fake))

    def test_plain_python_outside_td(self):
        self.assertEqual(sp.find_interpreter(in_td=False), sys.executable)


class PlanTests(unittest.TestCase):

    def test_target_is_project_local(self):
        project = kit.temp_dir(self)
        p = sp.plan(project_folder=project, interpreter='/td/python3')
        self.assertEqual(p['target'], os.path.join(project, 'python_packages'))
        self.assertEqual(p['command'], ['/td/python3', '-m', 'pip', 'install', '--disable-pip-version-check',
                                        '--target', p['target'], 'pythonnet'])
        self.assertTrue(p['run_pip'])

    def test_no_project_folder_is_a_clear_error(self):
        with self.assertRaises(RuntimeError) as cm:
            sp.plan(interpreter='/td/python3')
        self.assertIn('save the .toe first', str(cm.exception))

    def test_rerun_is_harmless(self):
        project = kit.temp_dir(self)
        _touch(os.path.join(project, 'python_packages', 'pythonnet', '__init__.py'))
        p = sp.plan(project_folder=project, interpreter='/td/python3')
        self.assertFalse(p['run_pip'])
        forced = sp.plan(project_folder=project, interpreter='/td/python3', force=True)
        self.assertIn('--upgrade', forced['command'])


class MainTests(unittest.TestCase):

    def setUp(self):
        self.path = list(sys.path)
        self.addCleanup(lambda: sys.path.__setitem__(slice(None), self.path))

    def test_dry_run_prints_the_command_and_runs_nothing(self):
        project = kit.temp_dir(self)
        lines = []
        p = sp.main(project_folder=project, interpreter='/td/python3', dry_run=True, out=lines.append,
                    run=lambda *a, **k: self.fail('must not run in a dry run'))
        text = '\n'.join(lines)
        self.assertIn('would run: /td/python3 -m pip install', text)
        self.assertIn('next steps', text)
        self.assertNotIn(p['target'], sys.path)
        self.assertFalse(os.path.exists(p['target']))

    def test_install_runs_pip_with_tds_python_and_adds_the_folder_once(self):
        project = kit.temp_dir(self)
        ran = []

        def run(cmd, **kw):
            ran.append(cmd)
            _touch(os.path.join(cmd[cmd.index('--target') + 1], 'pythonnet', '__init__.py'))
            return subprocess.CompletedProcess(cmd, 0, stdout='Successfully installed pythonnet')
        lines = []
        p = sp.main(project_folder=project, interpreter='/td/python3', out=lines.append, run=run)
        self.assertEqual(ran, [p['command']])
        self.assertEqual(sys.path[0], p['target'])
        again = sp.main(project_folder=project, interpreter='/td/python3', out=lines.append, run=run)
        self.assertEqual(len(ran), 1, 're-running must not reinstall')
        self.assertFalse(again['run_pip'])
        self.assertEqual(sys.path.count(p['target']), 1)

    def test_pip_failure_points_to_zero_pip(self):
        with self.assertRaises(RuntimeError) as cm:
            sp.main(project_folder=kit.temp_dir(self), interpreter='/td/python3', out=lambda *_: None,
                    run=lambda cmd, **kw: subprocess.CompletedProcess(cmd, 1, stdout='no network'))
        self.assertIn('zero-pip', str(cm.exception))

    def test_runtime_check_is_the_loaders_lookup_for_tds_architecture(self):
        runtime = sp.load_runtime_module()
        self.assertEqual(runtime.__file__, os.path.join(kit.PY_SDK, 'datanet_runtime.py'))
        x64 = kit.temp_dir(self)
        # A Mac with only the x64 .NET (DOTNET_ROOT_X64); nothing on PATH, no registered location.
        lookup = dict(platform_name='darwin', environ={'HOME': kit.temp_dir(self), 'DOTNET_ROOT_X64': x64},
                      which=lambda: None, read_file=lambda path: None, runtime=runtime)
        ok, msg = sp.runtime_check(arch='x64', **lookup)
        self.assertFalse(ok)
        self.assertIn('No .NET 8+ runtime for x64 found', msg)
        _touch(os.path.join(x64, 'host', 'fxr', '10.0.2', runtime.hostfxr_name()))
        os.makedirs(os.path.join(x64, 'shared', 'Microsoft.NETCore.App', '8.0.11'))
        os.makedirs(os.path.join(x64, 'shared', 'Microsoft.NETCore.App', '10.0.2'))
        ok, msg = sp.runtime_check(arch='x64', **lookup)
        self.assertTrue(ok, msg)
        self.assertIn('10.0.2 (x64) found in %s' % x64, msg)
        ok, msg = sp.runtime_check(arch='arm64', **lookup)   # an Apple-silicon TD cannot load x64 .NET
        self.assertFalse(ok)
        self.assertIn('No .NET 8+ runtime for arm64 found', msg)

    def test_textport_exec_finds_the_runtime_module_in_the_sdk_folder_beside_the_toe(self):
        project = kit.temp_dir(self)
        python = os.path.join(project, 'DataNet', 'python')
        os.makedirs(python)
        shutil.copy(os.path.join(kit.PY_SDK, 'datanet_runtime.py'), python)
        _touch(os.path.join(project, 'python_packages', 'pythonnet', '__init__.py'))   # installed: no pip run
        sdk = os.environ.pop('DATANET_SDK_DIR', None)
        self.addCleanup(lambda: sdk is not None and os.environ.__setitem__('DATANET_SDK_DIR', sdk))
        fake = TDFakeProject(folder=project, name='show.toe')
        fake.install()
        self.addCleanup(fake.uninstall)
        with open(os.path.join(kit.PY_SDK, 'setup_packages.py'), encoding='utf-8') as f:
            source = f.read()
        with kit.captured() as out:
            exec(compile(source, '<string>', 'exec'), {'__name__': '__main__'})   # exec(open(...).read()): no __file__
        self.assertIn('.NET check: .NET runtime', out.getvalue())
        self.assertNotIn('was not found beside this script', out.getvalue())
        self.assertIn(os.path.join(project, 'python_packages'), sys.path)

    def test_command_line_dry_run(self):
        project = kit.temp_dir(self)
        out = subprocess.run([sys.executable, os.path.join(kit.PY_SDK, 'setup_packages.py'), '--dry-run',
                              '--project-folder', project], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True)
        self.assertEqual(out.returncode, 0, out.stdout)
        self.assertIn('would run: %s -m pip install' % sys.executable, out.stdout)
        self.assertIn(os.path.join(project, 'python_packages'), out.stdout)


if __name__ == '__main__':
    unittest.main()
