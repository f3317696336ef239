"""Shared helpers of the Python suites (standard library only).

Environment (set by PythonTests.cs; defaults let a developer run a suite by hand from the
repository after a build):
  DATANET_SDK_DIR       the SDK folder: <test output>/DataNetSdk (DataNet.Td.dll + deps + Python.Runtime.dll)
  DATANET_TEST_PY_SDK   folder holding python/*.py (DataNet.py, frame_hook.py, ...)
  DATANET_TEST_API_URL / DATANET_TEST_WS_URL / DATANET_TEST_PORT   the in-process LocalGateway
"""
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..'))
PY_SDK = os.environ.get('DATANET_TEST_PY_SDK') or os.path.join(REPO, 'python')
# DATANET_TEST_SDK_DIR survives into child processes that remove DATANET_SDK_DIR on purpose.
SDK_DIR = (os.environ.get('DATANET_TEST_SDK_DIR') or os.environ.get('DATANET_SDK_DIR')
           or os.path.join(REPO, 'DataNet.Python.Tests', 'bin', 'Release', 'net10.0', 'DataNetSdk'))
API_URL = os.environ.get('DATANET_TEST_API_URL', '')
WS_URL = os.environ.get('DATANET_TEST_WS_URL', '')
DEADLINE_SECONDS = 20.0   # a condition not met by then fails the test; never a timing assertion

if PY_SDK not in sys.path:
    sys.path.insert(0, PY_SDK)


def loader_source():
    with open(os.path.join(PY_SDK, 'DataNet.py'), encoding='utf-8') as f:
        return f.read()


def exec_loader(name='DataNet', extra_globals=None):
    """Execute DataNet.py as a fresh module, the way a DAT module re-executes (no TD globals)."""
    mod = types.ModuleType(name)
    mod.__file__ = os.path.join(PY_SDK, 'DataNet.py')
    if extra_globals:
        mod.__dict__.update(extra_globals)
    exec(compile(loader_source(), mod.__file__, 'exec'), mod.__dict__)
    return mod


def bootstrap_only():
    """The runtime module alone (python/datanet_runtime.py, importable on its own): no facade, no boot.
    Stands in for 'another component' or the pythonnet package loading .NET in tests."""
    import datanet_runtime
    return datanet_runtime


def wait_until(condition, step=None, what='condition', deadline=DEADLINE_SECONDS):
    """Call step() (e.g. one simulated frame) until condition() is true; fail after the deadline."""
    end = time.monotonic() + deadline
    while True:
        if step is not None:
            step()
        if condition():
            return
        if time.monotonic() > end:
            raise AssertionError('timed out waiting for %s' % (what() if callable(what) else what))
        time.sleep(0.002)   # yield to the .NET threads between frames (a frame, not a wait for a result)


def run_child(code, env=None, cwd=None):
    """Run code in a fresh Python (no runtime loaded yet). Returns (returncode, combined output)."""
    full_env = dict(os.environ)
    full_env['PYTHONPATH'] = os.pathsep.join([HERE, PY_SDK] + [p for p in [full_env.get('PYTHONPATH')] if p])
    full_env['DATANET_TEST_SDK_DIR'] = SDK_DIR
    full_env['DATANET_TEST_PY_SDK'] = PY_SDK
    for k, v in (env or {}).items():
        if v is None:
            full_env.pop(k, None)
        else:
            full_env[k] = v
    proc = subprocess.run([sys.executable, '-c', code], env=full_env, cwd=cwd or HERE,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return proc.returncode, proc.stdout


@contextlib.contextmanager
def captured():
    """Capture everything printed to stdout/stderr (Python level) into a StringIO."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        yield buf


@contextlib.contextmanager
def captured_fds():
    """Capture Python-level and OS-level stdout/stderr (what .NET's Console writes too) into a file.
    Yields a function returning everything captured so far."""
    sys.stdout.flush()
    sys.stderr.flush()
    fd, path = tempfile.mkstemp(prefix='datanet-capture-')
    saved = os.dup(1), os.dup(2)
    buf = io.StringIO()
    os.dup2(fd, 1)
    os.dup2(fd, 2)

    def text():
        sys.stdout.flush()
        sys.stderr.flush()
        with open(path, encoding='utf-8', errors='replace') as f:
            return f.read() + buf.getvalue()
    try:
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            yield text
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
        os.close(fd)
        captured_fds.last = text()
        os.remove(path)


def gateway_kwargs():
    """connect() arguments for the in-process gateway started by PythonTests."""
    if not API_URL:   # a failure, not a skip: CI must not go green on tests that did not run
        raise AssertionError('DATANET_TEST_API_URL is not set: run the suites through dotnet test')
    return {'api_url': API_URL, 'ws_url': WS_URL}


def open_sockets():
    """Sockets held by this process (Linux: /proc/self/fd), or None where that is not available."""
    fd_dir = '/proc/self/fd'
    if not os.path.isdir(fd_dir):
        return None
    count = 0
    for fd in os.listdir(fd_dir):
        try:
            if os.readlink(os.path.join(fd_dir, fd)).startswith('socket:'):
                count += 1
        except OSError:
            pass
    return count


def os_threads():
    """Threads of this process as the OS sees them (.NET and Python alike)."""
    import System.Diagnostics
    p = System.Diagnostics.Process.GetCurrentProcess()
    try:
        return p.Threads.Count
    finally:
        p.Dispose()


def temp_dir(test):
    d = tempfile.mkdtemp(prefix='datanet-test-')
    test.addCleanup(lambda: __import__('shutil').rmtree(d, ignore_errors=True))
    return d


def main_thread_only(fn):
    """Wrap a handler so it records whether it ran on the main thread."""
    calls = []

    def wrapper(*args):
        calls.append(threading.current_thread() is threading.main_thread())
        return fn(*args) if fn else None
    wrapper.calls = calls
    return wrapper
