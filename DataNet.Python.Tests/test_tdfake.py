"""Tests of the TD fake itself (run: cd DataNet.Python.Tests && python3 -m unittest -v test_tdfake)."""
import json
import os
import queue
import shutil
import sys
import tempfile
import threading
import textwrap
import unittest

import tdfake
from tdfake import (CallbackError, MainThreadError, TDFakeProject, baseCOMP, executeDAT,
                    parameterexecuteDAT, datexecuteDAT, scriptCHOP, tableDAT, textDAT, tdError)


def src(text):
    return textwrap.dedent(text).lstrip("\n")


class FakeTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="tdfake-")
        self.addCleanup(shutil.rmtree, self.folder, True)
        self.fake = TDFakeProject(folder=self.folder, name="Test.toe")
        self.fake.install()
        self.addCleanup(self.fake.uninstall)
        self.p1 = self.fake.op("/project1")


class GlobalsAndLookup(FakeTest):
    def test_op_absolute_relative_and_missing(self):
        comp = self.p1.create(baseCOMP, "DataNet")
        dat = comp.create(textDAT, "loader")
        self.assertIs(self.fake.op("/project1/DataNet/loader"), dat)
        self.assertIs(comp.op("loader"), dat)            # COMP: relative to its inside
        self.assertIs(comp.op("./loader"), dat)
        self.assertIs(dat.op("loader"), dat)             # non-COMP: siblings
        self.assertIs(dat.op(".."), comp)                # Network_Path: '..' is my parent
        self.assertIs(dat.parent(), comp)
        self.assertIs(dat.parent(2), self.p1)
        self.assertIsNone(self.fake.op("/project1/nothere"))
        self.assertIsNone(comp.op("nothere"))
        self.assertIs(self.fake.op("/project1/Data*/load*"), dat)
        self.assertEqual(comp.ops("*"), [dat])
        self.assertIs(self.fake.op(dat.id), dat)

    def test_dat_namespace_has_td_globals(self):
        comp = self.p1.create(baseCOMP, "c")
        other = comp.create(tableDAT, "t")
        dat = comp.create(textDAT, "m")
        dat.text = src("""
            import td
            def info():
                return me, op('t'), parent(), root, project.name, absTime.frame, td.isMainThread()
            """)
        me, t, par, root, name, frame, main = dat.module.info()
        self.assertEqual((me, t, par, root, name, frame, main), (dat, other, comp, self.fake.root, "Test.toe", 0, True))

    def test_td_module_in_sys_modules_and_types(self):
        import td
        self.assertIs(td.textDAT, textDAT)
        self.assertTrue(td.isMainThread())
        self.assertIs(td.op("/project1"), self.p1)

    def test_global_op_shortcut_and_logger(self):
        logger = self.fake.op.TDResources.TDAppLogger
        logger.Warning("careful")
        logger.Info("fyi")
        self.assertEqual(logger.records, [("WARNING", "careful"), ("INFO", "fyi")])
        self.assertIn("WARNING: careful", self.fake.textport)
        with self.assertRaises(AttributeError):
            self.fake.op.Nosuchshortcut

    def test_create_name_collision_and_types_by_string(self):
        a = self.p1.create("textDAT", "x")
        b = self.p1.create(textDAT, "x")
        c = self.p1.create(textDAT)
        self.assertEqual((a.name, b.name, c.name), ("x", "x1", "text1"))
        self.assertEqual((a.OPType, a.type, a.family), ("textDAT", "text", "DAT"))
        with self.assertRaises(tdError):
            self.p1.create("nosuchTOP")
        rect = self.p1.create("rectangleTOP", "rect")
        rect.par.sizex = 0.5          # minimal node: any parameter is accepted
        self.assertEqual(rect.par.sizex.eval(), 0.5)

    def test_unknown_builtin_par_raises_and_getitem_returns_none(self):
        dat = self.p1.create(textDAT, "t")
        with self.assertRaises(AttributeError):
            dat.par.syncFile = True
        self.assertIsNone(dat.par["nothing"])
        with self.assertRaises(AttributeError):
            dat.somethingNew = 1     # TD objects take no ad-hoc attributes


class TextDATModule(FakeTest):
    def test_module_reexecutes_when_text_changes(self):
        dat = self.p1.create(textDAT, "m")
        dat.text = "counter = []\nVERSION = 1\n"
        mod = dat.module
        mod.counter.append(1)
        self.assertIs(dat.module, mod)                 # unchanged text: same module
        dat.text = "counter = []\nVERSION = 2\n"
        self.assertIsNot(dat.module, mod)
        self.assertEqual((dat.module.VERSION, dat.module.counter), (2, []))

    def test_syncfile_loads_and_follows_file(self):
        os.makedirs(os.path.join(self.folder, "python"))
        path = os.path.join(self.folder, "python", "x.py")
        with open(path, "w") as fh:
            fh.write("A = 1\n")
        dat = self.p1.create(textDAT, "x")
        dat.par.file = "python/x.py"
        dat.par.syncfile = True
        self.assertEqual(dat.module.A, 1)
        with open(path, "w") as fh:
            fh.write("A = 22\n")
        os.utime(path, ns=(1, 10**18))
        self.assertEqual(dat.module.A, 22)
        dat.text = "A = 3\n"                           # written to the file right away
        with open(path) as fh:
            self.assertEqual(fh.read(), "A = 3\n")

    def test_dat_run_with_args(self):
        out = self.p1.create(tableDAT, "out")
        script = self.p1.create(textDAT, "s")
        script.text = "op('out').appendRow([args[0], me.name])"
        script.run("hello")
        self.assertEqual(out.text, "hello\ts\n")


class TableDATOps(FakeTest):
    def test_append_delete_clear(self):
        t = self.p1.create(tableDAT, "t")
        t.appendRow(["channel", "data"])
        self.assertEqual(t.appendRows([["a", 1], ["b", 2.5], ["c", True]]), 1)
        self.assertEqual((t.numRows, t.numCols), (4, 2))
        self.assertEqual(t[1, "data"].val, "1")
        self.assertEqual(t["c", 1].val, "1")
        self.assertEqual([c.val for c in t.row(2)], ["b", "2.5"])
        self.assertEqual([c.val for c in t.col("channel")], ["channel", "a", "b", "c"])
        t.deleteRow(1)
        t.deleteRows([2, 1])                            # highest first: right however TD resolves them
        self.assertEqual(t.numRows, 1)
        t.appendRows([["x", "y"]] * 3)
        t.clear(keepFirstRow=True)
        self.assertEqual(t.text, "channel\tdata\n")
        t[0, 0] = "renamed"
        self.assertEqual(t[0, 0].val, "renamed")
        self.assertIsNone(t[5, 0])
        t.deleteRows()                                  # "If no vals ... does nothing"
        self.assertEqual(t.numRows, 1)

    def test_delete_rows_resolves_indices_one_at_a_time_in_the_order_given(self):
        """The order is undocumented: the strict reading, under which ascending indices shift."""
        t = self.p1.create(tableDAT, "t")
        t.appendRows([[str(i)] for i in range(5)])
        t.deleteRows([1, 2])                            # deletes '1', then what is now row 2: '3'
        self.assertEqual([c.val for c in t.col(0)], ["0", "2", "4"])

    def test_text_dat_is_not_a_table(self):
        with self.assertRaises(tdError):
            self.p1.create(textDAT, "x").appendRow(["a"])

    def test_datexecute_calls_2025_signature(self):
        t = self.p1.create(tableDAT, "t")
        cb = self.p1.create(datexecuteDAT, "watch")
        cb.text = src("""
            seen = []
            def onTableChange(dat, prevDAT, info):
                seen.append((dat.numRows, prevDAT.numRows, info.rowsAdded))
            """)
        cb.par.dat = "t"
        cb.par.tablechange = True
        t.appendRows([["a"], ["b"]])
        self.fake.frame()
        self.assertEqual(cb.module.seen, [(2, 0, [0, 1])])

    def test_datexecute_2023_signature_fails_visibly(self):
        t = self.p1.create(tableDAT, "t")
        cb = self.p1.create(datexecuteDAT, "watch")
        cb.text = "def onTableChange(dat):\n    pass\n"
        cb.par.dat = t
        cb.par.tablechange = True
        t.appendRow(["a"])
        with self.assertRaises(CallbackError):
            self.fake.frame()

    def test_fifo_clamps(self):
        f = self.p1.create("fifoDAT", "f")
        f.par.maxlines = 3
        f.appendRows([[i] for i in range(5)])
        self.assertEqual(f.col(0, val=True), ["2", "3", "4"])


class ExecuteAndFrames(FakeTest):
    def make_hook(self):
        ex = self.p1.create(executeDAT, "hook")
        ex.text = src("""
            calls = []
            def onStart(): calls.append('start')
            def onCreate(): calls.append('create')
            def onExit(): calls.append('exit')
            def onFrameStart(frame): calls.append(('fs', frame))
            def onFrameEnd(frame): calls.append(('fe', frame))
            """)
        return ex

    def test_toggles_gate_callbacks(self):
        ex = self.make_hook()
        self.fake.frame()
        self.assertEqual(ex.module.calls, [])          # all toggles off by default
        ex.par.framestart = True
        ex.par.frameend = True
        ex.par.start = ex.par.exit = True
        self.fake.frame(2)
        self.fake.start()
        self.fake.exit()
        self.assertEqual(ex.module.calls, [("fs", 2), ("fe", 2), ("fs", 3), ("fe", 3), "start", "exit"])
        ex.par.active = False
        self.fake.frame()
        self.assertEqual(len(ex.module.calls), 6)

    def test_oncreate_after_create_when_toggle_on(self):
        ex = self.make_hook()
        ex.par.create = True
        self.fake.frame()
        self.assertEqual(ex.module.calls, ["create"])

    def test_callback_error_is_recorded_and_raised_in_strict_mode(self):
        ex = self.p1.create(executeDAT, "bad")
        ex.text = "def onFrameStart(frame):\n    raise ValueError('boom')\n"
        ex.par.framestart = True
        with self.assertRaises(CallbackError):
            self.fake.frame()
        self.assertIn("boom", ex.errors())
        self.fake.strict = False
        self.fake.frame()                              # TD carries on
        self.assertEqual(len(self.fake.callbackErrors), 2)

    def test_run_delays(self):
        log = []
        r0 = self.fake.td.run(lambda: log.append("now"))
        self.assertEqual(log, ["now"])                 # no delay: runs immediately
        self.assertFalse(r0.active)
        self.fake.td.run(lambda: log.append("f2"), delayFrames=2)
        self.fake.td.run("args[0].append('end')", log, endFrame=True)
        self.fake.td.run(lambda: log.append("ms"), delayMilliSeconds=40)   # 60 fps: 3 frames
        killed = self.fake.td.run(lambda: log.append("killed"), delayFrames=1)
        killed.kill()
        self.fake.frame()
        self.assertEqual(log, ["now", "end"])
        self.fake.frame()
        self.assertEqual(log, ["now", "end", "f2"])
        self.fake.frame()
        self.assertEqual(log, ["now", "end", "f2", "ms"])

    def test_run_object_can_be_rescheduled_or_deactivated(self):
        log = []
        r = self.fake.td.run(log.append, "late", delayFrames=1)
        self.assertEqual(r.remainingFrames, 1)
        r.remainingFrames = 3
        off = self.fake.td.run(log.append, "off", delayFrames=1)
        off.active = False
        self.fake.frame(2)
        self.assertEqual(log, [])
        self.fake.frame()
        self.assertEqual(log, ["late"])
        self.assertEqual(len(self.fake.td.runs), 0)

    def test_run_dies_with_its_operator(self):
        dat = self.p1.create(textDAT, "d")
        dat.text = "def later():\n    run(\"op('/project1').store('ran', True)\", delayFrames=1)\n"
        dat.module.later()
        dat.destroy()
        self.fake.frame(2)
        self.assertIsNone(self.p1.fetch("ran", None))

    def test_run_string_sees_me_and_args(self):
        dat = self.p1.create(textDAT, "d")
        dat.text = src("""
            def later():
                run("args[0].text = me.name", op('target'), delayFrames=1)
            """)
        target = self.p1.create(textDAT, "target")
        dat.module.later()
        self.fake.frame()
        self.assertEqual(target.text, "d")


class ThreadRule(FakeTest):
    def off_thread(self, fn):
        box = queue.Queue()

        def work():
            try:
                box.put(("ok", fn()))
            except BaseException as exc:
                box.put(("err", exc))
        t = threading.Thread(target=work)
        t.start()
        t.join()
        return box.get()

    def test_every_touch_off_main_thread_raises(self):
        dat = self.p1.create(tableDAT, "t")
        comp = self.p1.create(baseCOMP, "c")
        page = comp.appendCustomPage("P")
        par = page.appendStr("Apikey")[0]
        for fn in (lambda: dat.numRows, lambda: dat.appendRow(["x"]), lambda: dat[0, 0],
                   lambda: dat.par.file, lambda: par.eval(), lambda: str(par),
                   lambda: self.fake.op("/project1"), lambda: self.fake.td.run("pass"),
                   lambda: comp.create(textDAT, "n"), lambda: self.fake.absTime.frame,
                   lambda: self.fake.frame()):
            kind, value = self.off_thread(fn)
            self.assertEqual(kind, "err")
            self.assertIsInstance(value, MainThreadError)
            self.assertIsInstance(value, RuntimeError)
        kind, value = self.off_thread(lambda: self.fake.td.isMainThread())
        self.assertEqual((kind, value), ("ok", False))
        self.assertTrue(self.fake.td.isMainThread())

    def test_every_kind_of_td_object_is_guarded(self):
        cb = self.p1.create(textDAT, "cb")
        cb.text = "def onCook(s):\n    s.clear()\n    s.appendChan('a')[0] = 1\n"
        chop = self.p1.create(scriptCHOP, "chop")
        chop.par.callbacks = cb
        chan = chop["a"]
        table = self.p1.create(tableDAT, "t")
        table.appendRow(["x"])
        cell = table[0, 0]
        comp = self.p1.create(baseCOMP, "c")
        page = comp.appendCustomPage("P")
        dll = os.path.join(self.folder, "f.bin")
        with open(dll, "wb") as fh:
            fh.write(b"1")
        vfile = comp.vfs.addFile(dll)
        run = self.fake.td.run("pass", delayFrames=10)
        dep = self.fake.tdu.Dependency(1)
        conn = chop.outputConnectors[0]
        touches = {
            "Channel[i]": lambda: chan[0], "Channel.vals": lambda: chan.vals, "float(Channel)": lambda: float(chan),
            "Cell.val": lambda: cell.val, "str(Cell)": lambda: str(cell), "Page.appendStr": lambda: page.appendStr("Xx"),
            "ParCollection[]": lambda: comp.par["ext0object"], "VFS iter": lambda: list(comp.vfs),
            "VFSFile.size": lambda: vfile.size, "Run.kill": lambda: run.kill(), "Dependency.val": lambda: dep.val,
            "Connector.connect": lambda: conn.connect(table), "project.folder": lambda: self.fake.project.folder,
            "ui.status": lambda: self.fake.ui.status, "app.build": lambda: self.fake.app.build,
            "comp.ext": lambda: comp.ext.Anything, "logger": lambda: self.fake.logger.Error("x"),
            "op.Shortcut": lambda: self.fake.op.TDResources, "parent()": lambda: self.fake.td.parent(),
        }
        for name, fn in touches.items():
            kind, value = self.off_thread(fn)
            self.assertEqual(kind, "err", name)
            self.assertIsInstance(value, MainThreadError, name)
        self.assertEqual(len(self.fake.threadViolations), len(touches))

    def test_violations_are_recorded_even_when_swallowed(self):
        dat = self.p1.create(tableDAT, "t")

        def sneaky():
            try:
                dat.appendRow(["from a worker"])
            except RuntimeError:
                pass                        # e.g. swallowed by a .NET callback wrapper
        self.off_thread(sneaky)
        self.assertEqual(len(self.fake.threadViolations), 1)
        thread, member, stack = self.fake.threadViolations[0]
        self.assertEqual(member, "appendRow")
        self.assertEqual(dat.numRows, 0)


class CustomPars(FakeTest):
    def test_pages_pargroups_and_names(self):
        comp = self.p1.create(baseCOMP, "DataNet")
        page = comp.appendCustomPage("DataNet")
        group = page.appendStr("Apikey", label="API Key")
        self.assertIsInstance(group, tdfake.ParGroup)
        key = group[0]
        key.password = True
        self.assertEqual((key.name, key.label, key.style, key.page, key.owner), ("Apikey", "API Key", "Str", page, comp))
        self.assertIs(comp.par.Apikey, key)
        for bad in ("apiKey", "APIKEY", "Api_key", "1abc", "Api key"):
            with self.assertRaises(tdError):
                page.appendStr(bad)
        rgb = page.appendFloat("Color", size=3)
        self.assertEqual([p.name for p in rgb], ["Color1", "Color2", "Color3"])
        self.assertEqual(len(comp.customPars), 4)
        self.assertEqual(comp.customPages, [page])
        self.assertEqual(comp.destroyCustomPars(), 4)
        self.assertEqual(comp.customPars, [])

    def test_par_values_modes_and_equality(self):
        comp = self.p1.create(baseCOMP, "c")
        page = comp.appendCustomPage("P")
        n = page.appendInt("Maxlines")[0]
        n.default = 100
        n.val = 100
        n.min, n.max, n.clampMin = 1, 10000, True
        t = page.appendToggle("Active")[0]
        t.val = "1"
        m = page.appendMenu("Server")[0]
        m.menuNames = ["cloud", "local", "custom"]
        m.menuLabels = ["Cloud", "Local gateway", "Custom"]
        self.assertEqual((m.eval(), m.default), ("cloud", "cloud"))
        m.val = "local"
        with self.assertRaises(tdError):
            m.val = "nope"
        s = page.appendStr("Status")[0]
        s.readOnly = True
        s.val = "Connected"                  # readOnly: UI only, scripts may still set
        s.expr = "'x' + str(me.par.Maxlines.eval())"
        self.assertEqual(s.eval(), "x100")
        self.assertEqual(s.mode, tdfake.ParMode.EXPRESSION)
        self.assertTrue(t == True and bool(t) and t.isToggle)
        self.assertTrue(n == 100 and n + 1 == 101 and int(n) == 100)
        other = page.appendInt("Other")[0]
        other.val = 100
        self.assertTrue(n == other)          # 2025: compares values
        self.assertFalse(n.isSamePar(other))
        u = page.appendStr("Url")[0]
        u.enableExpr = "me.par.Server == 'custom'"
        self.assertFalse(u.enable)
        m.val = "custom"
        self.assertTrue(u.enable)

    def test_destroying_a_par_removes_that_par_not_an_equal_one(self):
        comp = self.p1.create(baseCOMP, "c")
        page = comp.appendCustomPage("P")
        page.appendFloat("A")
        page.appendFloat("B")               # A == B (both 0.0): TD 2025 compares values
        comp.par.B.destroy()
        self.assertEqual([p.name for p in comp.customPars], ["A"])
        self.assertIs(comp.pars()[comp.par.A.index], comp.par.A)

    def test_builtin_par_restrictions(self):
        dat = self.p1.create(textDAT, "d")
        with self.assertRaises(tdError):
            dat.par.file.password = True
        with self.assertRaises(tdError):
            dat.par.language.menuNames = ["a"]

    def test_parameter_execute_value_change_and_pulse(self):
        comp = self.p1.create(baseCOMP, "c")
        page = comp.appendCustomPage("P")
        page.appendStr("Channels")
        page.appendPulse("Connect")
        pe = comp.create(parameterexecuteDAT, "pe")
        pe.text = src("""
            log = []
            def onValueChange(par, prev): log.append(('v', par.name, prev, par.eval()))
            def onPulse(par): log.append(('p', par.name))
            def onValuesChanged(changes): log.append(('all', [c.par.name for c in changes]))
            """)
        pe.par.op = ".."
        pe.par.valueschanged = True
        comp.par.Channels = "a b"
        comp.par.Channels = "a b c"          # coalesced: one call per frame
        comp.par.Connect.pulse()
        self.assertEqual(pe.module.log, [])  # delivered in the frame loop
        self.fake.frame()
        self.assertEqual(pe.module.log, [("v", "Channels", "", "a b c"), ("p", "Connect"), ("all", ["Channels"])])


class ScriptCHOPs(FakeTest):
    def make(self):
        cb = self.p1.create(textDAT, "cb")
        cb.text = src("""
            calls = []
            dep = tdu.Dependency(1.0)
            def onSetupParameters(scriptOp):
                calls.append('setup')
                scriptOp.appendCustomPage('Custom').appendFloat('Gain')
            def onPulse(par):
                calls.append(('pulse', par.name))
            def onCook(scriptOp):
                calls.append('cook')
                scriptOp.clear()
                scriptOp.numSamples = 1
                c = scriptOp.appendChan('env.t')
                c[0] = dep.val
                scriptOp.appendChan('h').vals = [2.0]
            def cook(scriptOp):
                calls.append('OLD NAME')
            """)
        chop = self.p1.create(scriptCHOP, "values")
        chop.par.callbacks = "cb"
        return cb, chop

    def test_cook_path_names_and_recook(self):
        cb, chop = self.make()
        self.fake.frame()
        self.assertEqual(cb.module.calls, ["cook"])
        self.assertEqual([c.name for c in chop.chans()], ["env_t", "h"])
        self.assertEqual((chop["env_t"][0], chop.chan("h").vals, chop.numChans), (1.0, [2.0], 2))
        self.fake.frame()
        self.assertEqual(cb.module.calls.count("cook"), 1)   # nothing changed: no cook
        chop.cook(force=True)
        self.assertEqual(cb.module.calls.count("cook"), 2)
        cb.module.dep.val = 5.0                              # dependency read in onCook
        self.fake.frame()
        self.assertEqual(chop["env_t"][0], 5.0)
        self.assertEqual(chop.totalCooks, 3)
        self.assertNotIn("OLD NAME", cb.module.calls)

    def test_cook_level_always_cooks_every_frame(self):
        cb, chop = self.make()
        cb.text = cb.text + "\ndef onGetCookLevel(scriptOp):\n    return CookLevel.ALWAYS\n"
        self.fake.frame(3)
        self.assertEqual(chop.totalCooks, 3)

    def test_channels_read_only_outside_cook(self):
        cb, chop = self.make()
        chop.cook(force=True)
        with self.assertRaises(tdError):
            chop["h"][0] = 3.0
        with self.assertRaises(tdError):
            chop.appendChan("x")

    def test_setup_parameters_runs_only_when_pulsed(self):
        cb, chop = self.make()
        self.fake.frame(2)
        self.assertNotIn("setup", cb.module.calls)
        self.assertEqual(chop.customPages, [])
        chop.par.setuppars.pulse()
        self.assertEqual(cb.module.calls.count("setup"), 1)
        self.assertEqual([p.name for p in chop.customPars], ["Gain"])

    def test_custom_pulse_goes_to_onPulse(self):
        cb, chop = self.make()
        chop.par.setuppars.pulse()
        page = chop.customPages[0]
        page.appendPulse("Reset")
        chop.par.Reset.pulse()
        self.fake.frame()
        self.assertIn(("pulse", "Reset"), cb.module.calls)

    def test_lfo_and_constant(self):
        lfo = self.p1.create("lfoCHOP", "lfo")
        lfo.par.frequency = 1
        const = self.p1.create("constantCHOP", "k")
        const.par.name0 = "v"
        const.par.value0 = 0.25
        self.assertEqual(const["v"][0], 0.25)
        values = []
        for _ in range(3):
            self.fake.frame(15)                 # 60 fps: quarter seconds
            values.append(round(lfo["chan1"][0], 6))
        self.assertEqual(values, [1.0, 0.0, -1.0])
        null = self.p1.create("nullCHOP", "n")
        const.outputConnectors[0].connect(null)
        self.assertEqual(null["v"][0], 0.25)
        self.assertEqual(null.inputs, [const])


class Extensions(FakeTest):
    EXT = src("""
        class DataNetExt:
            def __init__(self, ownerComp):
                self.ownerComp = ownerComp
                self.events = [('init', ownerComp.name)]
                LOG.append('init')
            def onInitTD(self):
                LOG.append('onInitTD')
            def onDestroyTD(self):
                LOG.append('onDestroyTD')
            def Connect(self):
                return 'connected ' + self.ownerComp.name
            @property
            def Status(self):
                return 'ok'
            def hidden(self):
                return 'no'
        LOG = __import__('builtins').__dict__.setdefault('_tdfake_ext_log', [])
        """)

    def setUp(self):
        super().setUp()
        import builtins
        builtins._tdfake_ext_log = []
        self.addCleanup(lambda: builtins.__dict__.pop("_tdfake_ext_log", None))
        self.log = builtins._tdfake_ext_log
        self.comp = self.p1.create(baseCOMP, "DataNet")
        ext = self.comp.create(textDAT, "DataNetExt")
        ext.text = self.EXT
        self.comp.par.ext0object = "op('./DataNetExt').module.DataNetExt(me)"
        self.comp.par.ext0promote = True

    def test_promotion_and_lifecycle(self):
        self.assertEqual(self.comp.Connect(), "connected DataNet")
        self.assertEqual(self.comp.Status, "ok")
        self.assertEqual(self.comp.ext.DataNetExt.events, [("init", "DataNet")])
        with self.assertRaises(AttributeError):
            self.comp.hidden
        self.assertEqual(self.log, ["init", "onInitTD"])
        self.comp.par.reinitextensions.pulse()
        self.assertEqual(self.log, ["init", "onInitTD", "onDestroyTD", "init", "onInitTD"])
        self.comp.op("DataNetExt").text = self.EXT + "\n# edited\n"
        self.comp.Connect()                    # definition changed: re-initialised on access
        self.assertEqual(self.log[-3:], ["onDestroyTD", "init", "onInitTD"])
        self.comp.destroy()
        self.assertEqual(self.log[-1], "onDestroyTD")
        self.assertFalse(self.comp.valid)
        with self.assertRaises(tdError):
            self.comp.name

    def test_instance_attributes_are_not_promoted(self):
        ext = self.comp.op("DataNetExt")
        ext.text = self.EXT.replace("self.events = [", "self.Plain = 1\n        self.events = [")
        with self.assertRaises(AttributeError):
            self.comp.Plain
        self.assertEqual(self.comp.ext.DataNetExt.Plain, 1)

    def test_initialised_by_the_frame_loop_without_a_reference(self):
        self.fake.frame()
        self.assertEqual(self.log, ["init", "onInitTD"])
        self.fake.frame()
        self.assertEqual(self.log, ["init", "onInitTD"])
        self.comp.op("DataNetExt").text = self.EXT + "\n"
        self.fake.frame()
        self.assertEqual(self.log[-3:], ["onDestroyTD", "init", "onInitTD"])
        self.comp.par.ext0object = ""
        self.fake.frame()
        self.assertEqual(self.log[-1], "onDestroyTD")
        self.assertEqual(self.comp.extensions, [])

    def test_not_promoted_without_flag(self):
        self.comp.par.ext0promote = False
        with self.assertRaises(AttributeError):
            self.comp.Connect
        self.assertEqual(self.comp.ext.DataNetExt.Connect(), "connected DataNet")


class SaveAndVFS(FakeTest):
    def test_save_records_pars_storage_and_vfs_and_loads_back(self):
        comp = self.p1.create(baseCOMP, "DataNet")
        page = comp.appendCustomPage("DataNet")
        key = page.appendStr("Apikey")[0]
        key.password = True
        key.val = "ak_secret"
        comp.store("version", "1.0")
        dll = os.path.join(self.folder, "DataNet.Td.dll")
        with open(dll, "wb") as fh:
            fh.write(b"MZ\x00fake")
        comp.vfs.addFile(dll)
        ex = comp.create(executeDAT, "hook")
        ex.text = "def onCreate():\n    me.parent().store('created', True)\n"
        ex.par.create = True
        path = comp.save("out/DataNet.tox", createFolders=True)
        with self.assertRaises(tdError):
            comp.save("missing/DataNet.tox")
        saved = tdfake.serialize.load(path)
        par = saved["customPages"][0]["pars"][0]
        self.assertEqual((par["name"], par["value"], par["password"]), ("Apikey", "ak_secret", True))
        with open(path) as fh:
            self.assertIn("ak_secret", fh.read())        # a key typed into a parameter IS saved
        self.assertEqual(saved["storage"]["version"], {"json": "1.0"})
        self.assertEqual([f.name for f in comp.vfs], ["DataNet.Td.dll"])
        self.assertEqual(len(comp.vfs), 1)
        self.assertEqual([f.name for f in comp.vfs.find("*.dll")], ["DataNet.Td.dll"])
        self.assertFalse("DataNet.Td.dll" in comp.vfs)   # undocumented spelling: no __contains__
        with self.assertRaises(KeyError):
            comp.vfs["missing.dll"]
        out = comp.vfs.export(os.path.join(self.folder, "cache", "v1"))
        self.assertEqual(len(out), 1)
        self.assertEqual(comp.vfs.export(os.path.join(self.folder, "cache", "v1")), [])   # no overwrite
        loaded = self.fake.op("/project1").loadTox(path)
        self.assertEqual(loaded.name, "DataNet1")
        self.assertEqual(loaded.par.Apikey.eval(), "ak_secret")
        self.assertTrue(loaded.fetch("created"))         # onCreate fired on load
        self.assertEqual(loaded.vfs["DataNet.Td.dll"].byteArray, bytearray(b"MZ\x00fake"))


class MoreBehaviour(FakeTest):
    def test_import_dat_by_name_inside_dat_code(self):
        comp = self.p1.create(baseCOMP, "c")
        helper = comp.create(textDAT, "helper")
        helper.text = "VALUE = 41\n"
        user = comp.create(textDAT, "user")
        user.text = "import helper\nimport json\nRESULT = helper.VALUE + 1\n"
        self.assertEqual(user.module.RESULT, 42)
        self.assertNotIn("helper", sys.modules)         # scoped to DAT code
        local = self.fake.op("/local").create(baseCOMP, "modules")
        shared = local.create(textDAT, "shared")
        shared.text = "X = 'from local/modules'\n"
        user.text = "import shared\nRESULT = shared.X\n"
        self.assertEqual(user.module.RESULT, "from local/modules")

    def test_dat_code_imports_td_modules_without_install(self):
        self.fake.uninstall()
        try:
            dat = self.p1.create(textDAT, "d")
            dat.text = "import td, tdu, TDJSON, TDFunctions\nOK = td.op('/project1') is not None\n"
            self.assertTrue(dat.module.OK)
            self.assertNotIn("td", sys.modules)
        finally:
            self.fake.install()

    def test_storage_fetch_search_and_startup_values(self):
        comp = self.p1.create(baseCOMP, "c")
        dat = comp.create(textDAT, "d")
        self.p1.store("shared", 1)
        self.assertEqual(dat.fetch("shared"), 1)            # searches parents
        with self.assertRaises(KeyError):
            dat.fetch("shared", search=False)
        self.assertEqual(dat.fetch("x", 5, storeDefault=True), 5)
        self.assertEqual(dat.storage, {"x": 5})
        dat.store("tmp_a", 1)
        dat.store("tmp_b", 2)
        dat.unstore("tmp_*")
        self.assertEqual(dat.storage, {"x": 5})
        comp.store("client", threading.Lock())        # like a .NET client: cannot be pickled
        comp.storeStartupValue("client", None)
        path = comp.save("c.tox")
        saved = tdfake.serialize.load(path)
        self.assertIn("unpicklable", saved["storage"]["client"])
        loaded = self.p1.loadTox(path)
        self.assertIsNone(loaded.fetch("client"))

    def test_script_errors(self):
        comp = self.p1.create(baseCOMP, "c")
        comp.addScriptError("Error: no key")
        comp.addScriptError("Warning-ish")
        self.assertEqual(comp.scriptErrors(), "Error: no key (/project1/c)\nWarning-ish (/project1/c)")
        self.assertIn("no key", comp.errors())
        comp.clearScriptErrors(error="Error*")
        self.assertEqual(comp.scriptErrors(), "Warning-ish (/project1/c)")
        child = comp.create(textDAT, "t")
        child.addScriptError("inner")
        self.assertIn("inner", comp.scriptErrors(recurse=True))
        comp.clearScriptErrors(recurse=True)
        self.assertEqual(comp.scriptErrors(recurse=True), "")
        with self.assertRaises(tdError):
            comp.addError("only while cooking")
        with self.assertRaises(tdError):
            comp.addWarning("only while cooking")   # OP_Class: outside a cook, addScriptError

    def test_warnings_while_cooking(self):
        cb = self.p1.create(textDAT, "cb")
        cb.text = "def onCook(scriptOp):\n    scriptOp.clear()\n    scriptOp.addWarning('low')\n"
        chop = self.p1.create(scriptCHOP, "s")
        chop.par.callbacks = cb
        chop.cook(force=True)
        self.assertEqual(chop.warnings(), "low (/project1/s)")

    def test_connectors(self):
        a = self.p1.create("constantCHOP", "a")
        b = self.p1.create("nullCHOP", "b")
        a.outputConnectors[0].connect(b.inputConnectors[0])
        self.assertEqual((b.inputs, a.outputs), ([a], [b]))
        self.assertEqual(b.inputConnectors[0].connections[0].owner, a)
        b.inputConnectors[0].disconnect()
        self.assertEqual(b.inputs, [])
        a.nodeX, a.nodeY = 100, -200
        self.assertEqual((a.nodeX, a.nodeY), (100, -200))

    def test_tdjson_parameters(self):
        comp = self.p1.create(baseCOMP, "c")
        spec = comp.create(textDAT, "pars")
        spec.text = json.dumps({
            "DataNet": {
                "Active": {"style": "Toggle", "default": True},
                "Apiurl": {"style": "Str", "label": "API URL", "default": "https://api.datanet.art"},
                "Server": {"style": "Menu", "menuNames": ["cloud", "local"], "menuLabels": ["Cloud", "Local"]},
                "Maxlines": {"style": "Int", "default": 100, "min": 1, "max": 10000, "clampMin": True},
                "Status": {"style": "Str", "readOnly": True},
            },
            "About": {"Version": {"style": "Str", "default": "0.1.0", "readOnly": True}},
        })
        import TDJSON
        pars, pages = TDJSON.addParametersFromJSONOp(comp, spec, replace=True, setValues=True,
                                                     destroyOthers=False, newAtEnd=True, fixParNames=True)
        self.assertEqual(pages, ["DataNet", "About"])
        self.assertEqual(pars, ["Active", "Apiurl", "Server", "Maxlines", "Status", "Version"])
        self.assertEqual((comp.par.Active.eval(), comp.par.Apiurl.eval(), comp.par.Apiurl.label), (True, "https://api.datanet.art", "API URL"))
        self.assertEqual((comp.par.Server.menuLabels, comp.par.Maxlines.eval(), comp.par.Maxlines.clampMin), (["Cloud", "Local"], 100, True))
        self.assertTrue(comp.par.Status.readOnly)
        back = TDJSON.opToJSONOp(comp)
        self.assertEqual(list(back), ["DataNet", "About"])

    def test_project_save_and_open_runs_start(self):
        comp = self.p1.create(baseCOMP, "DataNet")
        ex = comp.create(executeDAT, "hook")
        ex.text = src("""
            def onCreate(): me.parent().store('log', me.parent().fetch('log', []) + ['create'])
            def onStart(): me.parent().store('log', me.parent().fetch('log', []) + ['start'])
            def onProjectPreSave(): me.parent().store('presave', True)
            """)
        ex.par.create = ex.par.start = ex.par.projectpresave = True
        self.fake.project.save()
        path = os.path.join(self.folder, "Test.toe")
        self.assertTrue(os.path.isfile(path))
        self.fake.uninstall()
        other = TDFakeProject.open(path)
        dn = other.op("/project1/DataNet")
        self.assertEqual(dn.fetch("log"), ["create", "start"])
        self.assertTrue(dn.fetch("presave"))     # stored by onProjectPreSave before writing
        self.fake.install()

    def test_pargroup_is_guarded_and_tuple_like(self):
        comp = self.p1.create(baseCOMP, "c")
        g = comp.appendCustomPage("P").appendFloat("Pos", size=2)
        g.val = (1, 2)
        self.assertEqual((g.eval(), len(g), g.name, g.size), ((1.0, 2.0), 2, "Pos", 2))
        g.readOnly = True
        self.assertEqual(g.readOnly, (True, True))    # 2025: tuples
        box = queue.Queue()
        t = threading.Thread(target=lambda: box.put(self._try(lambda: g[0])))
        t.start()
        t.join()
        self.assertIsInstance(box.get(), MainThreadError)

    @staticmethod
    def _try(fn):
        try:
            return fn()
        except BaseException as exc:
            return exc

    def test_script_dat_cooks(self):
        cb = self.p1.create(textDAT, "cb")
        cb.text = "def onCook(scriptOp):\n    scriptOp.clear()\n    scriptOp.appendRow(['a', absTime.frame])\n"
        sd = self.p1.create("scriptDAT", "sd")
        sd.par.callbacks = cb
        self.fake.frame()
        self.assertEqual(sd.text, "a\t1\n")

    def test_script_dat_setup_parameters_only_when_pulsed(self):
        cb = self.p1.create(textDAT, "cb")
        cb.text = src("""
            calls = []
            def onSetupParameters(scriptOp):
                calls.append('setup')
            def onCook(scriptOp):
                calls.append('cook')
            """)
        sd = self.p1.create("scriptDAT", "sd")
        sd.par.callbacks = cb
        self.fake.frame()
        self.assertEqual(cb.module.calls, ["cook"])
        sd.par.setuppars.pulse()
        self.assertEqual(cb.module.calls, ["cook", "setup"])

    def test_tdfunctions_create_property(self):
        comp = self.p1.create(baseCOMP, "c")
        ext = comp.create(textDAT, "Ext")
        ext.text = src("""
            import TDFunctions as TDF
            class Ext:
                def __init__(self, ownerComp):
                    TDF.createProperty(self, 'Count', value=0, dependable=True, readOnly=False)
            """)
        comp.par.ext0object = "op('./Ext').module.Ext(me)"
        comp.par.ext0promote = True
        comp.Count = 3
        self.assertEqual(comp.Count, 3)
        self.assertEqual(comp.ext.Ext._Count.val, 3)

    def test_builtins_install_is_opt_in(self):
        import builtins
        self.assertFalse(hasattr(builtins, "op"))
        self.fake.uninstall()
        with self.fake.installed(builtinsToo=True):
            self.assertIs(builtins.op("/project1"), self.p1)
            self.assertIs(builtins.textDAT, textDAT)
        self.assertFalse(hasattr(builtins, "op"))
        self.fake.install()

    def test_minimal_nodes_record_unknown_pars(self):
        top = self.p1.create("textTOP", "label")
        top.par.text = "hello"
        self.assertEqual(top.par.text.eval(), "hello")
        self.assertEqual(self.fake.unknownPars, [("/project1/label", "text")])

    def test_chopexecute_and_expression_on_minimal_node(self):
        lfo = self.p1.create("lfoCHOP", "lfo")
        lfo.par.wavetype = "square"
        lfo.par.frequency = 2
        ce = self.p1.create("chopexecuteDAT", "ce")
        ce.text = "seen = []\ndef onValueChange(channel, sampleIndex, val, prev):\n    seen.append((absTime.frame, val))\n"
        ce.par.chop = "lfo"
        ce.par.valuechange = True
        rect = self.p1.create("rectangleTOP", "rect")
        rect.par.sizex.expr = "op('lfo')['chan1'] * 0.5 + 1"
        self.fake.frame(31)
        self.assertEqual(ce.module.seen, [(15, -1.0), (30, 1.0)])
        self.assertEqual(rect.par.sizex.eval(), 1.5)

    def test_ui_status_and_debug(self):
        self.fake.ui.status = "DataNet: connected"
        self.assertEqual(self.fake.ui.status, "DataNet: connected")
        dat = self.p1.create(textDAT, "d")
        dat.text = "def go():\n    debug('hello', 1)\n"
        dat.module.go()
        self.assertTrue(any(l.startswith("hello 1 (Debug - DAT:/project1/d") for l in self.fake.textport))


MINI_EXT = '''
class MiniExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
    def onInitTD(self):
        self.ownerComp.par.Status = 'ready'
    def Tick(self, frame):
        op('rows').appendRow([frame])
'''

MINI_BUILD = '''
comp = op('/project1').create(baseCOMP, 'Mini')
page = comp.appendCustomPage('Mini')
p = page.appendToggle('Active')[0]; p.default = True; p.val = True
p = page.appendStr('Status')[0]; p.readOnly = True
ext = comp.create(textDAT, 'MiniExt')
ext.text = MINI_EXT
comp.par.ext0object = "op('./MiniExt').module.MiniExt(me)"
comp.par.ext0promote = True
rows = comp.create(tableDAT, 'rows')
hook = comp.create(executeDAT, 'hook')
hook.text = "def onFrameStart(frame):\\n    if parent().par.Active:\\n        parent().Tick(frame)\\n"
hook.par.framestart = True
comp.save('build/Mini.tox', createFolders=True)
'''


class BuildScriptEndToEnd(FakeTest):
    """A miniature of what tox-source/ does: a build script run with TD's globals builds a
    component, saves it, and the saved component is dropped into another project and runs."""

    def test_build_save_load_run(self):
        namespace = self.fake.globals()
        namespace["MINI_EXT"] = MINI_EXT
        exec(compile(MINI_BUILD, "build_mini.py", "exec"), namespace)
        tox = os.path.join(self.folder, "build", "Mini.tox")
        other = TDFakeProject(folder=self.folder)
        comp = other.op("/project1").loadTox(tox)
        self.assertEqual(comp.par.Status.eval(), "ready")          # onInitTD on load
        other.frame(3)
        self.assertEqual(comp.op("rows").col(0, val=True), ["1", "2", "3"])
        comp.par.Active = False
        other.frame(2)
        self.assertEqual(comp.op("rows").numRows, 3)
        self.assertEqual(other.callbackErrors, [])


if __name__ == "__main__":
    unittest.main()


class StrictTDDetails(unittest.TestCase):
    """TD details the fake must not smooth over (design.md section 6)."""

    def setUp(self):
        self.fake = TDFakeProject(folder=tempfile.mkdtemp(), name="Show.toe")
        self.fake.install()
        self.addCleanup(self.fake.uninstall)
        self.p1 = self.fake.op("/project1")

    def test_an_op_parameter_matching_several_operators_evaluates_to_a_list(self):
        from tdfake import constantCHOP
        a = self.p1.create(constantCHOP, "a1")
        b = self.p1.create(constantCHOP, "a2")
        page = self.p1.appendCustomPage("P")
        par = page.appendCHOP("Src")[0]
        par.val = "/project1/a1"
        self.assertIs(par.eval(), a)
        par.val = "/project1/a*"
        self.assertEqual(par.eval(), [a, b])

    def test_chop_samples_are_32_bit_floats(self):
        from tdfake import scriptCHOP
        cb = self.p1.create(textDAT, "cb")
        cb.text = ("def onCook(scriptOp):\n    scriptOp.clear()\n    scriptOp.numSamples = 1\n"
                   "    scriptOp.appendChan('t')[0] = 1733300000123\n    scriptOp.appendChan('x').vals = [0.1]\n")
        chop = self.p1.create(scriptCHOP, "s")
        chop.par.callbacks = "cb"
        chop.cook(force=True)
        self.assertNotEqual(chop["t"][0], 1733300000123.0)   # a millisecond timestamp loses its last digits
        self.assertEqual(chop["t"][0], 1733300060160.0)
        self.assertEqual(chop["x"][0], 0.10000000149011612)

    def test_setup_parameters_may_run_after_pulse_returns(self):
        from tdfake import scriptCHOP
        self.fake.deferSetupParameters = True
        cb = self.p1.create(textDAT, "cb")
        cb.text = "def onSetupParameters(scriptOp):\n    scriptOp.appendCustomPage('X').appendStr('Made')\n"
        chop = self.p1.create(scriptCHOP, "s")
        chop.par.callbacks = "cb"
        chop.par.setuppars.pulse()
        self.assertIsNone(getattr(chop.par, "Made", None))   # not yet
        self.fake.frame()
        self.assertIsNotNone(getattr(chop.par, "Made", None))

    def test_project_name_follows_numbered_saves(self):
        self.assertEqual(self.fake.project.name, "Show.toe")
        self.fake.project.save("Show.7.toe")
        self.assertEqual(self.fake.project.name, "Show.7.toe")
