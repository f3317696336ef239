"""The TouchDesigner side end to end in the TD fake: loader DAT + Execute DAT frame hook + Table DAT
sink + Script CHOP, against the real gateway. Frames are simulated by the fake's frame loop; every
TD object raises when touched off the main thread, and callback errors fail the test (strict)."""
import json
import os
import sys
import textwrap
import threading
import time
import unittest

import dn_testkit as kit
from tdfake import TDFakeProject, baseCOMP, executeDAT, scriptCHOP, tableDAT, textDAT
from tdfake.errors import MainThreadError

_names = [0]


def _source(name):
    with open(os.path.join(kit.PY_SDK, name), encoding='utf-8') as f:
        return f.read()


class Network(object):
    """A DataNet network as the component (or an artist) would build it, in a fresh fake project."""

    def __init__(self, test, channels='', maxrows=None, autoconnect=True, prefix=True):
        _names[0] += 1
        self.fake = TDFakeProject(folder=kit.temp_dir(test), name='show.toe')
        self.fake.install()
        test.addCleanup(self.close)
        comp = self.comp = self.fake.op('/project1').create(baseCOMP, 'datanet%d' % _names[0])
        page = comp.appendCustomPage('DataNet')
        page.appendStr('Apiurl')[0].val = kit.API_URL
        page.appendStr('Wsurl')[0].val = kit.WS_URL
        page.appendStr('Channels')[0].val = channels
        page.appendToggle('Autoconnect')[0].val = autoconnect
        if maxrows is not None:
            page.appendInt('Maxrows')[0].val = maxrows
        status = page.appendStr('Status')[0]
        status.readOnly = True
        # Text, not file sync: a synced DAT writes its edits back to the file (Text_DAT syncfile).
        self.loader = comp.create(textDAT, 'DataNet')
        self.loader.text = _source('DataNet.py')
        comp.create(textDAT, 'datanet_runtime').text = _source('datanet_runtime.py')
        comp.create(textDAT, 'datanet_controller').text = _source('datanet_controller.py')
        comp.create(textDAT, 'table_sink').text = _source('table_sink.py')
        comp.create(textDAT, 'chop_values').text = _source('chop_values.py')
        self.hook = comp.create(executeDAT, 'frame_hook')
        self.hook.text = _source('frame_hook.py')
        for toggle in ('framestart', 'create', 'start', 'exit', 'projectpresave'):
            setattr(self.hook.par, toggle, True)
        self.rows = comp.create(tableDAT, 'rows')
        self.values = comp.create(scriptCHOP, 'values')
        self.values.par.callbacks = 'chop_values'
        self.values.par.setuppars.pulse()   # the artist's click on Setup Parameters (docs section 4)
        self.closed = False

    @property
    def dn(self):
        return self.loader.module.dn

    def frame(self, n=1):
        self.fake.frame(n)

    def frames_until(self, condition, what):
        kit.wait_until(condition, step=self.frame, what=what)

    def connected(self):
        self.frames_until(lambda: self.comp.par.Status.eval() == 'Connected',
                          lambda: 'Status par = Connected (Status %r, loader errors %r, hook errors %r)' % (
                              self.comp.par.Status.eval(), self.loader.scriptErrors(), self.hook.scriptErrors()))
        return self

    def subscribed(self, ch):
        self.frames_until(lambda: self.dn.client is not None and self.dn.client.GetOccupancy(ch) >= 1,
                          'sub_ack for ' + ch)

    def table(self):
        return [[c.val for c in self.rows.row(i)] for i in range(self.rows.numRows)]

    def chop(self):
        return {c.name: c[0] for c in self.values.chans()}

    def close(self):
        if not self.closed:
            self.closed = True
            try:
                self.fake.exit()
            finally:
                self.fake.uninstall()
        self.assert_clean()

    def assert_clean(self):
        errors = self.fake.callbackErrors
        if errors:
            raise AssertionError('TD callback errors:\n' + '\n'.join(e.traceback for e in errors))


def channel(name):
    _names[0] += 1
    return 'td/%s/%d' % (name, _names[0])


class Publisher(object):
    """A second client: a raw .NET DataNetClient (publish 'from C#') or a second loader ('from Python')."""

    def __init__(self, test):
        self.m = kit.exec_loader(extra_globals={'me': type('Me', (), {'path': '/publisher/%d' % id(test)})()})
        test.addCleanup(self.m.dn.Dispose)
        self.m.dn.Connect(**kit.gateway_kwargs())
        kit.wait_until(lambda: self.m.dn.Status == 'Connected', step=self.m.dn.Poll, what='publisher connected')

    def raw_client(self, test):
        T = self.m._runtime.clr_types()
        opts = T['Options']()
        opts.ApiUrl, opts.WsUrl, opts.ApiKey = kit.API_URL, kit.WS_URL, 'ak_local'
        client = T['System'].Activator.CreateInstance(T['ClientType'], opts)
        test.addCleanup(client.Dispose)
        client.Connect()
        return client


class FlowTests(unittest.TestCase):

    def test_publish_from_csharp_rows_and_chop_channels(self):
        ch = channel('env')
        net = Network(self, channels=ch).connected()
        net.subscribed(ch)
        client = Publisher(self).raw_client(self)
        cooks = net.values.totalCooks
        client.Publish(ch, json.dumps({'env': {'t': 21.5, 'h': 60}, 'on': True, 'label': 'x'}))
        net.frames_until(lambda: net.rows.numRows == 2, 'a row in the table')
        header, row = net.table()
        self.assertEqual(header, ['channel', 'from', 'timestamp', 'contentType', 'data'])
        self.assertEqual(row[0], ch)
        self.assertEqual(row[3], 'application/json')
        self.assertEqual(json.loads(row[4]), {'env': {'t': 21.5, 'h': 60}, 'on': True, 'label': 'x'})
        self.assertEqual(net.chop(), {ch + '/env/t': 21.5, ch + '/env/h': 60.0, ch + '/on': 1.0})
        self.assertGreater(net.values.totalCooks, cooks, 'the frame hook recooked the CHOP')
        self.assertEqual(net.values.numSamples, 1)

    def test_publish_from_python_and_handlers_touching_td_inside_poll(self):
        ch = channel('py')
        net = Network(self).connected()
        log = net.comp.create(tableDAT, 'log')
        # A handler that writes to TD: legal only because poll() runs it on the main thread.
        net.dn.Subscribe(ch, lambda c, data, from_, ts: log.appendRow([c, json.dumps(data)]))
        net.subscribed(ch)
        pub = Publisher(self)
        pub.m.publish(ch, {'n': 1})
        pub.m.publish(ch, {'n': 2})
        net.frames_until(lambda: log.numRows == 2, 'handler rows')
        self.assertEqual([log[i, 1].val for i in range(2)], ['{"n": 1}', '{"n": 2}'])
        self.assertEqual(net.rows.numRows, 3)
        self.assertEqual(net.chop(), {ch + '/n': 2.0})

    def test_boots_from_oncreate_without_onstart(self):
        net = Network(self)          # no fake.start(): a component dropped into a running project
        net.connected()
        self.assertEqual(net.dn.Runtime['route'], 'zero-pip')   # the suites load .NET the way DataNet.tox does
        self.assertTrue(net.dn.Ready)
        self.assertEqual(net.hook.scriptErrors(), '')

    def test_on_start_boots_too(self):
        net = Network(self)
        net.fake.start()
        net.connected()

    def test_the_default_device_name_does_not_drift_with_numbered_saves(self):
        """project.name follows numbered saves (show.7.toe): the device is the same one from save to save,
        so a reconnect after a save does not take another of the plan's device slots."""
        net = Network(self).connected()
        self.assertEqual(net.dn._entry.settings['device_name'], 'show')
        generation = net.dn.ClientGeneration
        for name in ('show.7.toe', 'show.8.toe'):
            net.fake.project.save(os.path.join(net.fake.project.folder, name))
            self.assertEqual(net.fake.project.name, name)
            net.dn.Connect()   # settings resolved again: the same ones, so the same client
        self.assertEqual(net.dn._entry.settings['device_name'], 'show')
        self.assertEqual(net.dn.ClientGeneration, generation)
        self.assertEqual(net.loader.module.project_device_name('Show.12.TOE'), 'Show')

    def test_devicename_parameter_names_the_device(self):
        net = Network(self)
        net.comp.customPages[0].appendStr('Devicename')[0].val = 'Stage-Left'
        net.connected()
        self.assertEqual(net.dn._entry.settings['device_name'], 'Stage-Left')   # not the project's name
        self.assertEqual(net.dn.ClientGeneration, 1)

    def test_on_exit_disposes_the_client(self):
        net = Network(self).connected()
        self.assertIsNotNone(net.dn.client)
        dn = net.dn
        net.close()
        self.assertIsNone(dn.client)


class LifetimeTests(unittest.TestCase):
    """A deleted loader DAT takes its client with it (nothing would poll it again); a renamed one keeps it."""

    def test_deleting_the_loader_dat_disposes_its_client_on_the_next_frame(self):
        net = Network(self).connected()
        dn, client = net.dn, net.dn.client
        sockets = kit.open_sockets()
        net.loader.destroy()
        net.frame()
        self.assertIsNone(dn.client)
        net.frames_until(lambda: str(client.State) == 'Disconnected', 'disposed (off the main thread)')
        self.assertNotIn(dn.Owner, sys.modules['datanet_td_runtime'].entries)
        if sockets is not None:
            kit.wait_until(lambda: kit.open_sockets() < sockets, what='the socket closed')
        self.assertIn("no loader DAT named 'DataNet'", net.hook.scriptErrors())

    def test_a_deleted_component_is_released_by_another_loaders_poll(self):
        net = Network(self).connected()
        other = net.fake.op('/project1').create(baseCOMP, 'other')
        loader = other.create(textDAT, 'DataNet')
        loader.text = _source('DataNet.py')
        dn = loader.module.dn
        dn.Connect(**kit.gateway_kwargs())
        client = dn.client
        other.destroy()   # no frame hook inside: nothing of its own will ever run again
        net.frame()       # the surviving component's poll
        self.assertIsNone(dn.client)
        # disposed off the main thread (Dispose may wait for the connection loop): done soon after
        net.frames_until(lambda: str(client.State) == 'Disconnected', 'the released client disconnected')

    def test_a_renamed_loader_keeps_its_client(self):
        net = Network(self).connected()
        dn, client = net.dn, net.dn.client
        net.loader.name = 'Renamed'
        net.frame(2)
        self.assertIs(dn.client, client)
        net.loader.name = 'DataNet'
        net.frame()
        self.assertIs(net.dn.client, client)
        self.assertEqual(str(client.State), 'Connected')


class GuideSnippetTests(unittest.TestCase):

    def test_the_build_guides_wiring_code_runs_as_written(self):
        """Step 3 of the build guide, minus its `import op` (op is a TD global, not a module)."""
        net = Network(self, autoconnect=False)
        net.comp.create(tableDAT, 'messages')
        startup = net.comp.create(textDAT, 'startup')
        startup.text = textwrap.dedent('''
            dn = op('DataNet').module
            dn.on('connect', lambda: print("DataNet connected!"))
            dn.subscribe("sensors/temperature", lambda ch, data, frm, ts:
                op('messages').appendRow([ch, str(data), ts]))
            dn.connect("ak_your_key_here")
        ''')
        with kit.captured_fds() as text:
            startup.run()
            net.connected()
            net.subscribed('sensors/temperature')
            Publisher(self).m.publish('sensors/temperature', {'value': 42.0})
            messages = net.comp.op('messages')
            net.frames_until(lambda: messages.numRows == 1, 'the guide handler wrote a row')
            printed = text()
        self.assertIn('DataNet connected!', printed)
        self.assertEqual([c.val for c in messages.row(0)][:2], ['sensors/temperature', "{'value': 42.0}"])
        self.assertIs(net.loader.module.datanet, net.dn)   # the guide's op('DataNet').module.datanet


class TableTests(unittest.TestCase):

    def test_fifo_clamp_keeps_header_and_newest_rows(self):
        ch = channel('fifo')
        net = Network(self, channels=ch, maxrows=5).connected()
        net.subscribed(ch)
        pub = Publisher(self)
        for i in range(3):
            pub.m.publish(ch, i)
        net.frames_until(lambda: net.rows.numRows == 4, 'three rows')
        for i in range(3, 12):
            pub.m.publish(ch, i)
        net.frames_until(lambda: net.rows.numRows == 6 and net.table()[-1][4] == '11', 'clamped to 5 rows')
        t = net.table()
        self.assertEqual(t[0], ['channel', 'from', 'timestamp', 'contentType', 'data'])
        self.assertEqual([r[4] for r in t[1:]], ['7', '8', '9', '10', '11'])

    def test_sink_unit_behaviour(self):
        """table_sink.sink with a frame's rows: one appendRows per call, only the newest kept, header kept."""
        import table_sink
        fake = TDFakeProject(folder=kit.temp_dir(self))
        fake.install()
        self.addCleanup(fake.uninstall)
        table = fake.op('/project1').create(tableDAT, 'rows')

        def rows(start, n):
            return [['c', 'f', str(i), 'application/json', str(i)] for i in range(start, start + n)]
        self.assertEqual(table_sink.sink(table, rows(0, 3), max_rows=4), {'appended': 3, 'trimmed': 0})
        self.assertEqual(table_sink.sink(table, rows(3, 2), max_rows=4), {'appended': 2, 'trimmed': 1})
        self.assertEqual([table[i, 4].val for i in range(1, table.numRows)], ['1', '2', '3', '4'])
        self.assertEqual(table_sink.sink(table, rows(5, 9), max_rows=4), {'appended': 4, 'trimmed': 4})
        self.assertEqual([table[i, 4].val for i in range(table.numRows)], ['data', '10', '11', '12', '13'])
        self.assertEqual(table_sink.sink(table, [], max_rows=4)['appended'], 0)

    def test_clamp_deletes_the_oldest_rows_whichever_order_deleterows_reads(self):
        """The order in which deleteRows resolves several indices is undocumented; the strict fake deletes
        them one by one in the order given, where ascending indices would delete every other row."""
        import table_sink
        fake = TDFakeProject(folder=kit.temp_dir(self))
        fake.install()
        self.addCleanup(fake.uninstall)
        table = fake.op('/project1').create(tableDAT, 'rows')
        table.appendRow(table_sink.HEADER)
        table.appendRows([['c', 'f', str(i), 'application/json', str(i)] for i in range(10)])
        self.assertEqual(table_sink.clamp(table, 4), 6)
        self.assertEqual([table[i, 4].val for i in range(table.numRows)], ['data', '6', '7', '8', '9'])
        self.assertEqual(table_sink.sink(table, [['c', 'f', '10', 'application/json', '10']], max_rows=3),
                         {'appended': 1, 'trimmed': 2})
        self.assertEqual([table[i, 4].val for i in range(table.numRows)], ['data', '8', '9', '10'])


class ChopTests(unittest.TestCase):

    def test_stable_order_held_while_disconnected_and_across_a_reload(self):
        ch = channel('order')
        net = Network(self, channels=ch).connected()
        net.subscribed(ch)
        pub = Publisher(self)
        pub.m.publish(ch, {'a': 1, 'b': 2})
        net.frames_until(lambda: net.chop().get(ch + '/b') == 2.0, 'first values')
        pub.m.publish(ch, {'c': 4, 'b': 3})
        net.frames_until(lambda: net.chop().get(ch + '/c') == 4.0, 'second values')
        self.assertEqual([c.name for c in net.values.chans()], [ch + '/a', ch + '/b', ch + '/c'])
        self.assertEqual(net.chop(), {ch + '/a': 1.0, ch + '/b': 3.0, ch + '/c': 4.0})
        net.dn.Disconnect()
        net.frames_until(lambda: net.comp.par.Status.eval() == 'Disconnected', 'disconnected')
        net.values.cook(force=True)
        self.assertEqual(net.chop(), {ch + '/a': 1.0, ch + '/b': 3.0, ch + '/c': 4.0}, 'held while disconnected')
        net.loader.text = net.loader.text + '\n# edited\n'   # the loader DAT's text changed: re-executed
        net.frame(3)
        net.values.cook(force=True)
        self.assertEqual(net.chop(), {ch + '/a': 1.0, ch + '/b': 3.0, ch + '/c': 4.0}, 'held across a reload')

    def test_new_values_in_the_same_layout_reach_the_chop(self):
        # Same fields again: only values cross into Python (CopyValues); they must still be the newest.
        ch = channel('same')
        net = Network(self, channels=ch).connected()
        net.subscribed(ch)
        pub = Publisher(self)
        for n in range(1, 4):
            pub.m.publish(ch, {'a': n, 'b': -n})
            net.frames_until(lambda: net.chop() == {ch + '/a': float(n), ch + '/b': float(-n)}, 'values %d' % n)
        self.assertEqual([c.name for c in net.values.chans()], [ch + '/a', ch + '/b'])

    def test_clear_pulse_forgets_held_values(self):
        ch = channel('clear')
        net = Network(self, channels=ch).connected()
        net.subscribed(ch)
        Publisher(self).m.publish(ch, {'v': 5})
        net.frames_until(lambda: net.chop() == {ch + '/v': 5.0}, 'value')
        net.dn.Dispose()                   # no client any more: the CHOP holds what it had
        net.values.cook(force=True)
        self.assertEqual(net.chop(), {ch + '/v': 5.0})
        net.values.par.Clear.pulse()       # delivered to chop_values.onPulse in the next frame
        net.frame(2)
        self.assertEqual(net.chop(), {})

    def test_recooked_only_when_values_changed(self):
        ch = channel('cooks')
        net = Network(self, channels=ch).connected()
        net.subscribed(ch)
        net.frame(3)
        cooks = net.values.totalCooks
        net.frame(10)
        self.assertEqual(net.values.totalCooks, cooks, 'no data, no recook')
        Publisher(self).m.publish(ch, {'v': 1})
        net.frames_until(lambda: net.chop().get(ch + '/v') == 1.0, 'value')
        self.assertGreater(net.values.totalCooks, cooks)

    def test_channels_parameter_and_no_prefix(self):
        ch1, ch2 = channel('one'), channel('two')
        net = Network(self, channels=ch1 + ' ' + ch2).connected()
        net.subscribed(ch1)
        net.subscribed(ch2)
        net.frame()
        net.values.par.Channels = ch2
        net.values.par.Prefix = False
        pub = Publisher(self)
        pub.m.publish(ch1, {'x': 1})
        pub.m.publish(ch2, {'y': 2})
        net.frames_until(lambda: net.chop() == {'y': 2.0}, 'only the chosen channel, unprefixed')
        held = net.dn.ValuesFor(net.values.path)
        net.values.par.Clear.pulse()       # delivered to chop_values.onPulse in the next frame
        net.frame(2)
        # Connected, Clear drops the CHOP's buffer and the next frame refills a new one from the client's latest
        # values, still through Channels and Prefix (the disconnected case is test_clear_pulse_forgets_held_values).
        self.assertIsNot(net.dn.ValuesFor(net.values.path), held, 'Clear dropped the held buffer')
        self.assertEqual(net.chop(), {'y': 2.0})
        pub.m.publish(ch1, {'x': 3})
        pub.m.publish(ch2, {'y': 4})
        net.frames_until(lambda: net.chop() == {'y': 4.0}, 'new values after Clear, still only the chosen channel')

    def test_binary_and_dmx_reach_the_table_not_the_chop(self):
        ch = channel('dmx')
        net = Network(self).connected()
        net.dn.SubscribeBinary(ch)
        net.subscribed(ch)
        pub = Publisher(self)
        pub.m.dn.PublishDmx(ch, [10, 20, 30])
        net.frames_until(lambda: net.rows.numRows == 2, 'dmx row')
        row = net.table()[1]
        self.assertEqual(row[3], 'binary/dmx')
        self.assertEqual(net.chop(), {})


class ThreadTests(unittest.TestCase):

    def test_the_fake_really_refuses_other_threads(self):
        net = Network(self)
        errors = []

        def touch():
            try:
                net.rows.numRows
            except MainThreadError as exc:
                errors.append(exc)
        t = threading.Thread(target=touch)
        t.start()
        t.join()
        self.assertEqual(len(errors), 1)

    def test_busy_traffic_never_touches_td_off_the_main_thread(self):
        ch = channel('busy')
        net = Network(self, channels=ch, maxrows=50).connected()
        net.subscribed(ch)
        seen = []
        net.dn.Subscribe(ch, lambda c, d: seen.append(threading.current_thread() is threading.main_thread()))
        pub = Publisher(self)
        for i in range(300):
            pub.m.publish(ch, {'i': i, 'x': i / 2})
        net.frames_until(lambda: len(seen) == 300, '300 messages')
        self.assertTrue(all(seen))
        self.assertEqual(net.rows.numRows, 51)
        self.assertEqual(net.chop()[ch + '/i'], 299.0)
        net.assert_clean()


class ErrorDisplayTests(unittest.TestCase):

    def test_missing_loader_is_shown_on_the_hook_not_raised(self):
        net = Network(self)
        net.loader.name = 'NotDataNet'
        net.frame(2)   # strict fake: a raised callback error would fail here
        self.assertIn("no loader DAT named 'DataNet'", net.hook.scriptErrors())

    def test_setup_error_is_shown_on_the_loader_dat(self):
        code = textwrap.dedent('''
            import json, os, sys, tempfile
            import dn_testkit as kit
            from tdfake import TDFakeProject, baseCOMP, executeDAT, textDAT
            fake = TDFakeProject(folder=tempfile.mkdtemp())
            comp = fake.op('/project1').create(baseCOMP, 'datanet')
            comp.appendCustomPage('DataNet').appendFolder('Sdkfolder')[0].val = '/no/such/sdk'
            loader = comp.create(textDAT, 'DataNet')
            loader.text = open(os.path.join(kit.PY_SDK, 'DataNet.py')).read()
            comp.create(textDAT, 'datanet_controller').text = open(os.path.join(kit.PY_SDK, 'datanet_controller.py')).read()
            hook = comp.create(executeDAT, 'frame_hook')
            hook.text = open(os.path.join(kit.PY_SDK, 'frame_hook.py')).read()
            hook.par.framestart = True
            fake.frame()   # the controller shows what stops DataNet on the loader DAT
            dn = loader.module.dn
            print('RESULT ' + json.dumps({'errors': loader.scriptErrors(), 'status': dn.Status}))
        ''')
        rc, out = kit.run_child(code, env={'DATANET_SDK_DIR': None})
        line = [ln for ln in out.splitlines() if ln.startswith('RESULT ')]
        self.assertTrue(line, out)
        res = json.loads(line[0][7:])
        self.assertIn('Sdkfolder parameter: /no/such/sdk (no such folder)', res['errors'])
        self.assertTrue(res['status'].startswith('Error: DataNet SDK folder not found'))


class SecretTests(unittest.TestCase):
    KEY = 'ak_SECRET_typed_into_a_par_77aa'

    def test_key_in_apikey_parameter_is_warned_about_and_never_logged(self):
        net = Network(self, autoconnect=False)
        net.comp.par.Apiurl = ''      # not the loopback default: the parameter's key must be what is used
        net.comp.par.Wsurl = ''
        p = net.comp.customPages[0].appendStr('Apikey', label='API Key')[0]
        p.password = True
        p.val = self.KEY
        with kit.captured_fds() as text:
            net.frame()
            net.dn.Connect(api_url=kit.API_URL, ws_url=kit.WS_URL)
            net.connected()
            printed = text()
        self.assertEqual(net.dn._entry.settings['key_source'], 'Apikey parameter')
        self.assertIn('saves parameter values inside the .toe', printed)
        logged = '\n'.join(net.fake.logger.lines + list(net.fake.textport))
        self.assertIn('saves parameter values inside the .toe', logged, 'warned through TDAppLogger too')
        everything = '\n'.join([printed, logged, net.comp.par.Status.eval(), net.loader.scriptErrors(),
                                net.hook.scriptErrors(), repr(net.dn), net.dn.Status])
        self.assertNotIn(self.KEY, everything)


    def test_a_key_left_in_apikey_is_warned_about_at_load_and_before_each_save(self):
        net = Network(self, autoconnect=False)
        net.comp.customPages[0].appendStr('Apikey')[0].val = self.KEY
        net.frame()   # the loader DAT's module runs for the first time: the project is loading
        self.assertIn('holds a key, and TouchDesigner saves parameter values inside the .toe', net.loader.scriptErrors())
        toe = os.path.join(net.fake.project.folder, 'show.toe')
        net.fake.project.save(toe)   # onProjectPreSave
        logged = '\n'.join(net.fake.logger.lines + list(net.fake.textport))
        self.assertIn('saving the project: the Apikey parameter of %s holds a key' % net.comp.path, logged)
        net.comp.par.Apikey = ''
        net.fake.project.save(toe)
        self.assertEqual(net.loader.scriptErrors(), '')   # cleared: the warning goes with the key
        logged = '\n'.join(net.fake.logger.lines + list(net.fake.textport))
        everything = '\n'.join([logged, net.loader.scriptErrors(), net.hook.scriptErrors(), net.dn.Status])
        self.assertNotIn(self.KEY, everything)


class RecoveryTests(unittest.TestCase):

    def test_fixing_the_sdkfolder_parameter_is_enough(self):
        """In a fresh process: the SDK folder is wrong at first; setting the parameter right connects."""
        code = textwrap.dedent('''
            import json, unittest
            import dn_testkit as kit
            import test_outputs as T

            class Case(unittest.TestCase):
                def runTest(self):
                    net = T.Network(self, channels='td/recover')
                    net.comp.customPages[0].appendFolder('Sdkfolder')[0].val = '/no/such/sdk'
                    net.frame(2)
                    first = net.loader.scriptErrors()
                    net.comp.par.Sdkfolder = kit.SDK_DIR
                    net.connected()
                    print('RESULT ' + json.dumps({'first': first, 'after': net.loader.scriptErrors(),
                                                  'route': net.dn.Runtime['route']}))
            r = unittest.TextTestRunner().run(Case())
            raise SystemExit(0 if r.wasSuccessful() else 1)
        ''')
        rc, out = kit.run_child(code, env={'DATANET_SDK_DIR': None})
        line = [ln for ln in out.splitlines() if ln.startswith('RESULT ')]
        self.assertTrue(line and rc == 0, out)
        res = json.loads(line[0][7:])
        self.assertIn('Sdkfolder parameter: /no/such/sdk (no such folder)', res['first'])
        self.assertEqual(res['after'], '')
        self.assertEqual(res['route'], 'zero-pip')


class CostTests(unittest.TestCase):

    def test_per_frame_cost_is_reported(self):
        """Measures poll + table + CHOP per frame in the fake (printed, not asserted)."""
        ch = channel('cost')
        net = Network(self, channels=ch, maxrows=100).connected()
        net.subscribed(ch)
        pub = Publisher(self)
        fields = {'f%02d' % i: float(i) for i in range(50)}
        on_frame_start = net.hook.module.onFrameStart   # the Execute DAT callback itself
        busy_frames, spent, frame_no = 0, 0.0, 0
        for burst in range(20):
            for i in range(100):
                fields['f00'] = burst * 100 + i
                pub.m.publish(ch, fields)
            target = (burst + 1) * 100
            deadline = time.monotonic() + kit.DEADLINE_SECONDS
            while net.dn.client.Stats.Dispatched < target:
                before = net.dn.client.Stats.Received
                if before == net.dn.client.Stats.Dispatched:
                    self.assertLess(time.monotonic(), deadline, 'messages never arrived')
                    time.sleep(0.001)   # nothing queued yet: let the socket thread deliver
                    continue
                frame_no += 1
                t = time.perf_counter()
                on_frame_start(frame_no)
                spent += time.perf_counter() - t
                busy_frames += 1
        # Every message crossed once, nothing dropped, and the frames that had data left the newest of each field.
        stats = net.dn.client.Stats
        self.assertEqual((stats.Received, stats.Dispatched, stats.Dropped), (2000, 2000, 0))
        self.assertGreater(busy_frames, 0)
        expected = {ch + '/f%02d' % i: float(i) for i in range(1, 50)}
        expected[ch + '/f00'] = 1999.0
        self.assertEqual(net.chop(), expected)
        self.assertEqual(net.rows.numRows - 1, 100, 'the table keeps maxrows rows')
        self.assertEqual(json.loads(net.table()[-1][4])['f00'], 1999)
        print('\nper-frame cost (fake TD): poll + table (%d rows kept) + 50-channel CHOP recook = %.3f ms per '
              'frame with data (%d frames), %.1f us per message'
              % (net.rows.numRows - 1, spent * 1000 / busy_frames, busy_frames, spent * 1e6 / 2000))


if __name__ == '__main__':
    unittest.main()
