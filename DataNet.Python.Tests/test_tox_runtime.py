"""The built DataNet.tox (saved, then loaded into a fresh TD fake) driven through simulated frames
against the in-process local gateway: rows, values, Status, info channels, publishing from a
CHOP (JSON and DMX), pulses, a callbacks DAT, two components side by side, delete cleaning up,
the key never saved when it comes from the environment, and the example projects running."""
import base64
import json
import os
import textwrap
import unittest
import uuid

import dn_testkit as kit
import tox_kit
from tdfake import TDFakeProject


def frames_until(fake, condition, what):
    kit.wait_until(condition, step=lambda: fake.frame(1), what=what)


class Runtime(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tox = tox_kit.build_tox(cls._holder())

    @classmethod
    def _holder(cls):
        holder = unittest.TestCase()
        holder._cleanups = []
        cls._class_holder = holder
        return holder

    @classmethod
    def tearDownClass(cls):
        cls._class_holder.doCleanups()

    def setUp(self):
        kit.gateway_kwargs()   # fails (not skips) outside dotnet test
        self.fake = tox_kit.new_fake(self)
        self.project1 = self.fake.op('/project1')
        self.uid = uuid.uuid4().hex[:8]

    def load(self, channels='', connect=True):
        comp = self.project1.loadTox(self.tox)
        tox_kit.point_at_gateway(comp)
        comp.par.Channels = channels
        self.fake.frame(1)   # parameter events reach the extension
        if connect:
            comp.Connect()
            self.connected(comp)
        return comp

    def connected(self, comp):
        frames_until(self.fake, lambda: comp.par.Status.eval() == 'Connected' and comp.par.Connected.eval(),
                     lambda: 'Connected, Status is %r' % comp.par.Status.eval())

    def rows(self, comp):
        t = comp.op('rows')
        return [[c.val for c in t.row(i)] for i in range(1, t.numRows)]

    def values(self, comp, name='out_values'):
        return {c.name: c[0] for c in comp.op(name).chans()}

    def ch(self, name):
        return '%s/%s' % (name, self.uid)

    def test_rows_values_status_and_info(self):
        env = self.ch('env')
        comp = self.load(env)
        self.assertEqual(comp.Status, 'Connected')
        comp.Publish(env, {'env': {'t': 21.5, 'h': 60}, 'on': True, 'arr': [1, 2]})
        frames_until(self.fake, lambda: len(self.rows(comp)) == 1, 'one row')
        row = self.rows(comp)[0]
        self.assertEqual((row[0], row[3]), (env, 'application/json'))
        self.assertEqual(json.loads(row[4]), {'env': {'t': 21.5, 'h': 60}, 'on': True, 'arr': [1, 2]})
        self.fake.frame(1)
        self.assertEqual(self.values(comp), {env + '/env/t': 21.5, env + '/env/h': 60.0, env + '/on': 1.0,
                                             env + '/arr/0': 1.0, env + '/arr/1': 2.0})
        self.assertEqual(comp.LastValue(env, 'env/t'), 21.5)
        self.assertIsNone(comp.LastValue(env, 'nope'))
        self.assertEqual(comp.LastValue(env)['env/h'], 60.0)
        comp.par.Chopprefix = False
        frames_until(self.fake, lambda: 'env/t' in self.values(comp), 'unprefixed names')
        info = self.values(comp, 'out_info')
        self.assertEqual(list(info), ['connected', 'msgs_in_per_s', 'msgs_out_per_s', 'queued', 'dropped',
                                      'reconnects', 'latency_ms', 'occupancy'])
        self.assertEqual((info['connected'], info['queued'], info['dropped'], info['occupancy']), (1.0, 0.0, 0.0, 1.0))
        self.assertEqual((comp.par.Msgsin.eval(), comp.par.Msgsout.eval()), (1, 1))
        # msgs/s: one-second windows counted in frames. Two idle seconds close a window with no
        # traffic (rate 0); send 120 (out and echoed in) between two frames: the next window says 120.
        self.fake.frame(121)
        self.assertEqual(self.values(comp, 'out_info')['msgs_in_per_s'], 0.0)
        stats = comp.Stats
        for i in range(120):
            comp.Publish(env, {'n': i})
        kit.wait_until(lambda: (comp.Stats['received'], comp.Stats['published']) ==
                       (stats['received'] + 120, stats['published'] + 120), what='120 out and back in')
        frames_until(self.fake, lambda: self.values(comp, 'out_info')['msgs_in_per_s'] > 0, 'a rate')
        info = self.values(comp, 'out_info')
        self.assertEqual((info['msgs_in_per_s'], info['msgs_out_per_s']), (120.0, 120.0))
        self.assertEqual(comp.errors(), '')

    def test_maxlines_clamps_the_table_fifo_style_and_clear_empties_it(self):
        ch = self.ch('fifo')
        comp = self.load(ch)
        comp.par.Maxlines = 5
        for i in range(8):
            comp.Publish(ch, {'i': i})
        frames_until(self.fake, lambda: comp.Stats['received'] == 8, '8 received')
        self.fake.frame(1)
        self.assertEqual([json.loads(r[4])['i'] for r in self.rows(comp)], [3, 4, 5, 6, 7])
        comp.par.Maxlines = 2
        self.fake.frame(1)
        self.assertEqual([json.loads(r[4])['i'] for r in self.rows(comp)], [6, 7])
        comp.par.Clear.pulse()
        self.fake.frame(1)
        self.assertEqual(comp.op('rows').numRows, 1)

    def test_publish_from_a_chop_at_a_steady_rate_and_on_change(self):
        ch = self.ch('lfo')
        self.marker = ch + '/marker'
        comp = self.load(ch + ' ' + self.marker)
        const = self.project1.create('constantCHOP', 'src')
        const.par.name0, const.par.value0 = 'x', 3.0
        comp.par.Publishchop = const.path
        comp.par.Publishchannel = ch
        comp.par.Publishrate = 10
        comp.par.Publishactive = True
        self.fake.frame(1)    # the parameter events, then the first publish in the same frame
        self.fake.frame(60)   # one simulated second at 60 fps: every 6th frame
        comp.par.Publishactive = False
        self.fake.frame(1)
        self.published(comp, 11)   # 1 + 10
        echoed = lambda: [r for r in self.rows(comp) if r[0] == ch]
        frames_until(self.fake, lambda: len(echoed()) == 11, 'echoed rows')
        self.assertEqual(json.loads(echoed()[0][4]), {'x': 3.0})
        comp.par.Publishmode = 'change'
        comp.par.Publishactive = True
        self.fake.frame(30)
        self.published(comp, 11)   # unchanged values are not sent again
        const.par.value0 = 4.0
        self.fake.frame(30)
        self.published(comp, 12)
        comp.par.Publishactive = False
        self.fake.frame(1)
        comp.par.Publish.pulse()
        self.fake.frame(1)
        self.published(comp, 13)

    def published(self, comp, n):
        """Exactly n publishes from the CHOP so far. The barrier: a marker published after them, on a
        channel the component subscribes. Its echo means the socket sent everything queued before it
        (one ordered connection), so by then Stats counts every CHOP publish, and the markers."""
        self.markers = getattr(self, 'markers', 0) + 1
        comp.Publish(self.marker, {'m': self.markers})
        frames_until(self.fake, lambda: comp.LastValue(self.marker, 'm') == self.markers
                     and comp.Stats['published'] >= n + self.markers, 'marker %d echoed' % self.markers)
        self.assertEqual(comp.Stats['published'], n + self.markers)

    def test_a_publish_chop_pattern_matching_several_chops_publishes_all_their_channels(self):
        """An OP parameter matching several operators evaluates to a list in TD: not one CHOP's .chans()."""
        ch = self.ch('multi')
        comp = self.load(ch)
        for name, chan, value in (('src1', 'x', 1.0), ('src2', 'y', 2.0)):
            c = self.project1.create('constantCHOP', name)
            c.par.name0, c.par.value0 = chan, value
        comp.par.Publishchop = '/project1/src*'
        comp.par.Publishchannel = ch
        self.fake.frame(1)
        comp.par.Publish.pulse()
        frames_until(self.fake, lambda: len(self.rows(comp)) == 1, 'the publish echoed')
        self.assertEqual(json.loads(self.rows(comp)[0][4]), {'x': 1.0, 'y': 2.0})
        self.assertEqual(comp.scriptErrors(), '')

    def test_the_frame_hook_path_crosses_into_dotnet_once_a_frame(self):
        from test_frame import CrossingCounter, count_frame_calls
        ch = self.ch('cross')
        comp = self.load(ch)
        dn = comp.op('DataNet').module.dn
        frames_until(self.fake, lambda: dn.client.GetOccupancy(ch) >= 1, 'sub_ack')
        counts = []
        entry = dn._entry
        real = entry.client
        entry.client, entry.bridge = CrossingCounter(real, counts), {}
        count_frame_calls(self, comp.op('DataNet').module, counts)
        per_frame = []
        for i in range(30):
            real.Publish(ch, json.dumps({'v': i}))
            before = len(counts)
            self.fake.frame(1)
            per_frame.append(counts[before:])
        frames_until(self.fake, lambda: self.values(comp).get(ch + '/v') == 29.0, 'the last value')
        self.assertTrue(all(len(f) <= 2 for f in per_frame), per_frame)
        self.assertTrue(all(f == ['PollFrameEntryPoint()'] for f in per_frame[1:]), per_frame)
        self.assertEqual(comp.par.Msgsin.eval(), comp.Stats['received'])

    def test_dmx_mode_sends_the_first_512_samples_as_a_dmx_frame(self):
        ch = self.ch('dmx')
        comp = self.load(ch)
        const = self.project1.create('constantCHOP', 'levels')
        const.par.name0, const.par.value0 = 'a', 0
        const.par.name1, const.par.value1 = 'b', 128
        const.par.name2, const.par.value2 = 'c', 255
        comp.par.Publishchop = const.path
        comp.par.Publishchannel = ch
        comp.par.Dmx = True
        self.fake.frame(1)
        comp.par.Publish.pulse()
        frames_until(self.fake, lambda: len(self.rows(comp)) == 1, 'the DMX frame echoed')
        row = self.rows(comp)[0]
        self.assertEqual(row[3], 'binary/dmx')
        frame = base64.b64decode(row[4])
        self.assertEqual(len(frame), 512)
        self.assertEqual(list(frame[:4]), [0, 128, 255, 0])

    def test_pulses_and_active(self):
        ch = self.ch('p')
        comp = self.load(ch)
        comp.par.Disconnect.pulse()
        frames_until(self.fake, lambda: comp.par.Status.eval() == 'Disconnected' and not comp.par.Connected.eval(),
                     'Disconnected')
        comp.par.Connect.pulse()
        self.connected(comp)
        dn = comp.op('DataNet').module.dn
        generation = dn.ClientGeneration
        comp.par.Reset.pulse()
        self.fake.frame(1)
        self.assertEqual(dn.ClientGeneration, generation + 1)
        self.connected(comp)
        self.assertEqual(dn.Channels, [ch])   # subscriptions survive a reset
        comp.par.Active = False
        frames_until(self.fake, lambda: comp.par.Status.eval() == 'Disconnected', 'Active off')
        comp.par.Active = True
        self.connected(comp)

    def test_channels_and_key_changes_apply_without_a_restart(self):
        a, b = self.ch('a'), self.ch('b')
        comp = self.load(a)
        dn = comp.op('DataNet').module.dn
        comp.par.Channels = b
        self.fake.frame(1)
        self.assertEqual(dn.Channels, [b])
        comp.Publish(a, {'v': 1})
        comp.Publish(b, {'v': 2})
        frames_until(self.fake, lambda: len(self.rows(comp)) >= 1, 'a row on b')
        self.fake.frame(5)
        self.assertEqual([r[0] for r in self.rows(comp)], [b])
        generation = dn.ClientGeneration
        comp.par.Keysource = 'parameter'
        comp.par.Apikey = 'ak_typed_' + self.uid
        self.fake.frame(1)
        self.assertGreater(dn.ClientGeneration, generation)   # a new client with the new key
        self.connected(comp)
        self.assertEqual(dn.Channels, [b])

    def test_callbacks_dat_receives_each_event(self):
        ch = self.ch('cb')
        comp = self.load(ch)
        comp.par.Disconnect.pulse()
        frames_until(self.fake, lambda: comp.par.Status.eval() == 'Disconnected', 'Disconnected')
        comp.par.Createcallbacks.pulse()
        self.fake.frame(1)
        dat = self.fake.op('/project1/DataNet_callbacks')
        self.assertIsNotNone(dat)
        self.assertIs(comp.par.Callbackdat.eval(), dat)
        for name in ('def onConnect(', 'def onDisconnect(reason', 'def onMessage(channel, data, info',
                     'def onError(code, message', 'def onStatusChange(status, prev', '*args'):
            self.assertIn(name, dat.text)
        exec(compile(dat.text, 'template', 'exec'), {})   # the template itself is valid Python
        log = self.project1.create('tableDAT', 'log')
        dat.text = (
            "def onConnect(info):\n    op('log').appendRow(['connect', info['ownerComp'].name])\n"
            "def onDisconnect(reason, info, *args):\n    op('log').appendRow(['disconnect', reason])\n"
            "def onMessage(channel, data, info, *args):\n    op('log').appendRow(['message', channel, data['v'], info['from']])\n"
            "def onError(code, message):\n    op('log').appendRow(['error', code])\n"
            "def onStatusChange(status, prev, info, extra=None, *more):\n    op('log').appendRow(['status', status, prev])\n")
        events = lambda: [log[i, 0].val for i in range(log.numRows)]
        comp.par.Connect.pulse()
        frames_until(self.fake, lambda: 'connect' in events(), 'onConnect')
        self.assertEqual(log[events().index('connect'), 1].val, 'DataNet')
        statuses = [(log[i, 1].val, log[i, 2].val) for i in range(log.numRows) if log[i, 0].val == 'status']
        self.assertIn('Connected', [s for s, _ in statuses])
        self.assertEqual(statuses[0][1], 'Disconnected')   # prev: what Status said before
        comp.Publish(ch, {'v': 7})
        frames_until(self.fake, lambda: 'message' in events(), 'onMessage')
        i = events().index('message')
        self.assertEqual((log[i, 1].val, log[i, 2].val), (ch, '7'))
        comp.par.Disconnect.pulse()
        frames_until(self.fake, lambda: 'disconnect' in events(), 'onDisconnect')
        # a bad key: the gateway refuses it, onError runs and the error shows on the component
        comp.par.Keysource = 'parameter'
        comp.par.Apikey = 'bad-key-' + self.uid
        self.fake.frame(1)
        comp.par.Connect.pulse()
        frames_until(self.fake, lambda: 'error' in events(), 'onError')
        frames_until(self.fake, lambda: comp.par.Status.eval().startswith('Error'), 'Status Error')
        self.assertIn('DataNet Error', comp.errors())
        self.assertNotIn('bad-key-' + self.uid, comp.par.Status.eval() + comp.errors())
        # a callback that raises shows on the component; frames go on
        dat.text = "def onStatusChange(status, prev, info):\n    raise ValueError('boom')\n"
        comp.par.Keysource = 'env'
        self.fake.frame(1)
        comp.par.Connect.pulse()
        frames_until(self.fake, lambda: 'boom' in comp.errors(), 'callback error on the node')
        self.assertEqual(self.fake.callbackErrors, [])

    def test_printcallbacks_prints_events(self):
        ch = self.ch('print')
        comp = self.load(ch)
        comp.par.Printcallbacks = True
        self.fake.frame(1)
        with kit.captured() as out:
            comp.Publish(ch, {'v': 1})
            frames_until(self.fake, lambda: 'onMessage' in out.getvalue(), 'printed onMessage')
        self.assertIn("/project1/DataNet: onMessage('%s'" % ch, out.getvalue())

    def test_two_components_side_by_side_and_delete_cleans_up(self):
        a, b = self.ch('a'), self.ch('b')
        first = self.load(a)
        second = self.load(b)
        self.assertEqual((first.name, second.name), ('DataNet', 'DataNet1'))
        dn1, dn2 = first.op('DataNet').module.dn, second.op('DataNet').module.dn
        self.assertIsNot(dn1.client, dn2.client)
        first.Publish(b, {'from': 'first'})
        frames_until(self.fake, lambda: len(self.rows(second)) == 1, 'second receives')
        self.fake.frame(3)
        self.assertEqual(self.rows(first), [])
        client = dn1.client
        sockets = kit.open_sockets()
        first.destroy()
        self.assertIsNone(dn1.client)
        frames_until(self.fake, lambda: str(client.State) == 'Disconnected', 'disposed (off the main thread)')
        if sockets is not None:
            frames_until(self.fake, lambda: kit.open_sockets() < sockets, 'the socket closed')
        self.assertNotIn('/project1/DataNet/DataNet', __import__('sys').modules['datanet_td_runtime'].entries)
        second.Publish(b, {'from': 'second'})
        frames_until(self.fake, lambda: len(self.rows(second)) == 2, 'second still works')
        self.assertEqual(self.fake.callbackErrors, [])

    def test_reinit_extensions_replaces_the_client_once_and_keeps_subscriptions(self):
        ch = self.ch('reinit')
        comp = self.load(ch)
        dn = comp.op('DataNet').module.dn
        old = comp.ext.DataNetExt
        comp.par.reinitextensions.pulse()
        self.fake.frame(1)
        self.assertIsNot(comp.ext.DataNetExt, old)
        self.connected(comp)
        self.assertEqual(dn.Channels, [ch])
        for event in ('connect', 'disconnect', 'error', 'status'):
            self.assertEqual(len(dn._entry.events[event]), 1, event)   # the old instance's handlers are gone
        comp.Publish(ch, {'v': 1})
        frames_until(self.fake, lambda: len(self.rows(comp)) == 1, 'a row after re-init')

    def test_an_older_touchdesigner_gets_a_warning_on_the_node(self):
        fake = TDFakeProject(folder=kit.temp_dir(self), name='Old.toe', version='2022', build='32660')
        self.fake.uninstall()
        fake.install()
        self.addCleanup(tox_kit.teardown, fake)
        comp = fake.op('/project1').loadTox(self.tox)
        self.assertIn('needs TouchDesigner 2023.11000 or newer (this is 2022.32660)', comp.scriptErrors())

    def saved_project(self, configure):
        """An artist's project: DataNet.tox dropped in, configured, the .toe saved; then that .toe opened
        in a fresh session. Returns (fake, component) of the opened project; nothing is called on it."""
        folder = kit.temp_dir(self)
        comp = self.project1.loadTox(self.tox)
        configure(comp)
        toe = os.path.join(folder, 'Show.toe')
        self.fake.project.save(toe)
        tox_kit.teardown(self.fake)   # the first session ends: its components and clients are gone
        fake = TDFakeProject.open(toe)
        fake.install()
        self.addCleanup(tox_kit.teardown, fake)
        return fake, fake.op('/project1/DataNet')

    def test_a_saved_project_connects_by_itself_once(self):
        ch = self.ch('auto')

        def configure(comp):
            tox_kit.point_at_gateway(comp)
            comp.par.Channels = ch
            comp.par.Devicename = 'Stage-Left'
        fake, comp = self.saved_project(configure)
        self.assertTrue(comp.par.Autoconnect.eval())
        frames_until(fake, lambda: comp.par.Status.eval() == 'Connected', 'connected by itself')
        dn = comp.op('DataNet').module.dn
        self.assertEqual(dn._entry.settings['device_name'], 'Stage-Left')
        comp.Publish(ch, {'v': 1})
        frames_until(fake, lambda: len(self.rows(comp)) == 1, 'a row on the subscribed channel')
        self.assertEqual(dn.ClientGeneration, 1)   # the frame hook and the extension shared one client

    def test_a_key_left_in_apikey_is_warned_about_on_the_node_and_in_the_log(self):
        secret = 'ak_left_behind_' + self.uid

        def configure(comp):
            comp.par.Active = False   # only the warning matters here
            comp.par.Apikey = secret  # while Key Source stays Environment Variable: unused, yet saved
        fake, comp = self.saved_project(configure)
        fake.frame(1)
        warning = 'the Apikey parameter of /project1/DataNet holds a key'
        self.assertIn(warning, comp.scriptErrors())   # at load, on the component itself
        self.assertIn('It is not even used: Key Source is env', comp.scriptErrors())
        fake.project.save(os.path.join(fake.project.folder, 'Again.toe'))
        logged = '\n'.join(fake.logger.lines + list(fake.textport))
        self.assertIn('saving the project: ' + warning, logged)
        comp.par.Apikey = ''
        fake.frame(2)
        self.assertNotIn(warning, comp.scriptErrors())
        self.assertNotIn(secret, '\n'.join([logged, comp.scriptErrors(), comp.par.Status.eval(),
                                            comp.op('DataNet').scriptErrors()]))

    def test_project_exit_disposes(self):
        comp = self.load(self.ch('exit'))
        dn = comp.op('DataNet').module.dn
        self.fake.exit()
        self.assertIsNone(dn.client)

    def test_key_from_the_environment_is_never_saved(self):
        secret = 'ak_env_secret_' + self.uid
        os.environ['DATANET_API_KEY'] = secret
        self.addCleanup(os.environ.pop, 'DATANET_API_KEY', None)
        comp = self.load(self.ch('key'))
        self.assertEqual(comp.op('DataNet').module.dn._entry.settings['key_source'], 'DATANET_API_KEY')
        tox = comp.save(os.path.join(self.fake.project.folder, 'saved.tox'))
        self.fake.project.save(os.path.join(self.fake.project.folder, 'saved.toe'))
        for path in (tox, os.path.join(self.fake.project.folder, 'saved.toe')):
            with open(path, encoding='utf-8') as f:
                self.assertNotIn(secret, f.read(), path)
        self.assertEqual(comp.par.Apikey.eval(), '')


class OneFile(unittest.TestCase):
    """The one-file DataNet.tox in a fresh process with no SDK folder anywhere: it exports its
    embedded DLLs to the versioned cache, loads DataNet.Td from there and connects."""

    def test_one_file_tox_runs_from_its_embedded_sdk(self):
        api, ws = kit.gateway_kwargs()['api_url'], kit.gateway_kwargs()['ws_url']
        tox = tox_kit.build_tox(self, one_file=True, sdk_folder=kit.SDK_DIR, link_files=False)
        project, cache = kit.temp_dir(self), kit.temp_dir(self)
        code = textwrap.dedent('''
            import sys
            import dn_testkit as kit
            from tdfake import TDFakeProject
            fake = TDFakeProject(folder=%r, name='OneFile.toe')
            fake.install()
            comp = fake.op('/project1').loadTox(%r)
            comp.par.Server = 'custom'
            comp.par.Apiurl, comp.par.Wsurl, comp.par.Channels = %r, %r, 'onefile/x'
            fake.frame(1)
            comp.Connect()
            kit.wait_until(lambda: comp.par.Status.eval() == 'Connected', step=lambda: fake.frame(1), what='Connected')
            comp.Publish('onefile/x', {'v': 5})
            kit.wait_until(lambda: comp.op('values').chan('onefile/x/v') is not None, step=lambda: fake.frame(1),
                           what='the value')
            print('FOLDER=' + sys.modules['datanet_td_runtime'].assembly_folder)
            print('VALUE=%%s' %% comp.op('values')['onefile/x/v'][0])
            comp.destroy()
        ''') % (project, tox, api, ws)
        rc, out = kit.run_child(code, env={'DATANET_SDK_DIR': None, 'DATANET_SDK_CACHE': cache})
        self.assertEqual(rc, 0, out)
        folder = [ln[7:] for ln in out.splitlines() if ln.startswith('FOLDER=')]
        self.assertEqual(len(folder), 1, out)
        self.assertEqual(os.path.dirname(folder[0]), cache)
        self.assertTrue(os.path.isfile(os.path.join(folder[0], 'DataNet.Td.dll')))
        self.assertTrue(os.path.isfile(os.path.join(folder[0], 'docs', 'touchdesigner.md')), 'the Help pulse guide')
        self.assertIn('VALUE=5.0', out)


class Examples(unittest.TestCase):
    """Each example .toe opens and runs with no edits: built for this gateway's URLs (its port is
    random here, 8080 in the shipped examples), opened, and left alone: no Connect(), nothing set."""

    def open(self, name):
        folder = kit.temp_dir(self)
        toe = tox_kit.build_example(self, name, folder=folder, **kit.gateway_kwargs())
        fake = TDFakeProject.open(toe)
        fake.install()
        self.addCleanup(tox_kit.teardown, fake)
        comp = fake.op('/project1/DataNet')
        frames_until(fake, lambda: comp.par.Status.eval() == 'Connected', 'example connected by itself')
        return fake, comp

    def test_basic_subscribe(self):
        fake, comp = self.open('basic_subscribe')
        self.assertEqual(comp.par.Channels.eval(), 'demo/hello')
        comp.Publish('demo/hello', {'text': 'hi'})
        frames_until(fake, lambda: comp.op('out_rows').numRows >= 2, 'a row in the table')
        self.assertEqual(fake.op('/project1/messages').par.dat.eval(), comp.path + '/out_rows')

    def test_sensor_dashboard(self):
        fake, comp = self.open('sensor_dashboard')
        values = fake.op('/project1/values')
        frames_until(fake, lambda: values.chan('project_local_env/t') is not None, 'temperature channel')
        t = values['project_local_env/t'][0]
        self.assertTrue(15.0 <= t <= 25.0, t)
        self.assertIsNotNone(values.chan('project_local_env/h'))
        width = fake.op('/project1/bar').par.sizex.eval()
        self.assertAlmostEqual(width, max(0.02, (values['project_local_env/t'][0] - 10) / 20), places=6)

    def test_publish_from_chop(self):
        fake, comp = self.open('publish_from_chop')
        frames_until(fake, lambda: comp.Stats['received'] >= 3, 'LFO messages echoed')
        rows = comp.op('rows')
        self.assertEqual(rows[1, 'channel'].val, 'demo/lfo')
        self.assertIn('wave', json.loads(rows[1, 'data'].val))


if __name__ == '__main__':
    unittest.main()
