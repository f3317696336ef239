"""The `dn` facade against the real gateway: both API spellings, plain callables and values,
decoded handler arguments, events, binary and DMX, a throwing handler, two clients in one
process, 100 reloads without leaks, main-thread delivery, and the key never printed."""
import json
import os
import threading
import types
import unittest

import dn_testkit as kit

_counter = [0]


def new_loader(path=None):
    """A loader module as if executed by a Text DAT at `path` (its owner key)."""
    _counter[0] += 1
    me = types.SimpleNamespace(path=path or '/test/DataNet%d' % _counter[0])
    return kit.exec_loader(extra_globals={'me': me})


def channel(name):
    _counter[0] += 1
    return 'test/%s/%d' % (name, _counter[0])


class FacadeTestCase(unittest.TestCase):

    def setUp(self):
        self.loaders = []

    def tearDown(self):
        for m in self.loaders:
            m.dn.Dispose()

    def loader(self, path=None):
        m = new_loader(path)
        self.loaders.append(m)
        return m

    def connected(self, m, **kwargs):
        args = dict(kit.gateway_kwargs())
        args.update(kwargs)
        m.dn.Connect(**args)
        kit.wait_until(lambda: m.dn.Status == 'Connected', step=m.dn.Poll, what='Connected (%s)' % m.dn.Status)
        return m.dn

    def subscribed(self, dn, ch, handler=None, binary=False):
        """Subscribe and wait for the server's ack (occupancy known), so a publish cannot race it."""
        (dn.SubscribeBinary if binary else dn.Subscribe)(ch, handler)
        kit.wait_until(lambda: dn.client.GetOccupancy(ch) >= 1, step=dn.Poll, what='sub_ack for ' + ch)


class SpellingTests(FacadeTestCase):

    def test_guide_names_on_the_module(self):
        m = self.loader()
        got = []
        ch = channel('guide')
        m.on('connect', lambda: got.append('connect'))
        m.subscribe(ch, kit.main_thread_only(lambda c, data, from_, ts: got.append((c, data, from_, ts))))
        m.connect(**kit.gateway_kwargs())
        kit.wait_until(lambda: 'connect' in got, step=m.poll, what='connect event')
        kit.wait_until(lambda: m.dn.client.GetOccupancy(ch) >= 1, step=m.poll, what='sub_ack')
        self.assertTrue(m.publish(ch, {'env': {'t': 21.5, 'h': 60}, 'on': True, 'name': 'x'}))
        kit.wait_until(lambda: len(got) == 2, step=m.poll, what='message')
        c, data, from_, ts = got[1]
        self.assertEqual((c, data), (ch, {'env': {'t': 21.5, 'h': 60}, 'on': True, 'name': 'x'}))
        self.assertIsInstance(from_, str)
        self.assertGreater(ts, 1_600_000_000_000)
        self.assertEqual(m.get_value(ch, 'env/t'), 21.5)
        self.assertEqual(m.get_value(ch), {'env/t': 21.5, 'env/h': 60.0, 'on': 1.0})
        self.assertEqual(m.get_value(ch, 'missing', 7.0), 7.0)
        m.unsubscribe(ch)
        m.disconnect()
        kit.wait_until(lambda: m.dn.Status == 'Disconnected', step=m.poll, what='Disconnected')
        self.assertIs(m.datanet, m.dn)

    def test_facade_names(self):
        m = self.loader()
        dn = m.dn
        got = []
        ch = channel('cs')
        dn.Subscribe(ch, lambda c, data: got.append(data))   # plain function, wrapped here
        dn.Connect(**kit.gateway_kwargs())
        kit.wait_until(lambda: dn.Status == 'Connected', step=dn.Poll, what='Connected')
        kit.wait_until(lambda: dn.client.GetOccupancy(ch) >= 1, step=dn.Poll, what='sub_ack')
        self.assertTrue(dn.client.Publish(ch, '{"a": 1}'))   # JSON text as it is: the .NET client, on purpose
        self.assertTrue(dn.Publish(ch, {'a': 2}))            # values are serialised
        total = [0]

        def step():
            r = dn.Poll()
            total[0] += r.Messages
        kit.wait_until(lambda: len(got) == 2, step=step, what='two messages')
        self.assertEqual(got, [{'a': 1}, {'a': 2}])
        self.assertEqual(total[0], 2)
        self.assertEqual(dn.client.LastValues.GetValue(ch, 'a', -1.0), 2.0)
        self.assertGreaterEqual(dn.client.Stats.Received, 2)
        self.assertIn(ch, dn.Channels)
        for name in ('TakeRows', 'GetPresence', 'State', 'subscribe', 'connect'):   # nothing is forwarded
            self.assertFalse(hasattr(dn, name), name)
        dn.Unsubscribe(ch)
        dn.Disconnect()

    def test_handlers_get_as_many_arguments_as_they_take(self):
        dn = self.connected(self.loader())
        ch = channel('arity')
        seen = []
        self.subscribed(dn, ch, lambda: seen.append(0))
        self.subscribed(dn, ch, lambda c: seen.append(1))
        self.subscribed(dn, ch, lambda *a: seen.append(len(a)))
        dn.Publish(ch, 5)
        kit.wait_until(lambda: len(seen) == 3, step=dn.Poll, what='three handlers')
        self.assertEqual(sorted(seen), [0, 1, 4])
        self.assertEqual(dn.LastValue(ch, 'value'), 5.0)

    def test_bad_input_is_refused_clearly(self):
        dn = self.loader().dn
        with self.assertRaisesRegex(ValueError, 'non-empty'):
            dn.Subscribe('', print)
        with self.assertRaisesRegex(ValueError, 'connect, disconnect, error, message, status, presence'):
            dn.On('bogus', print)
        with self.assertRaisesRegex(TypeError, 'unknown options: colour'):
            dn.Connect(colour='red')
        with self.assertRaises(ValueError):
            dn.Publish('x', float('nan'))


class EventTests(FacadeTestCase):

    def test_lifecycle_message_and_presence_events(self):
        m = self.loader()
        dn = m.dn
        ev = []
        ch = channel('events')
        dn.On('status', lambda status, state, prev: ev.append(('status', state)))
        dn.On('connect', lambda: ev.append(('connect',)))
        dn.On('disconnect', lambda reason: ev.append(('disconnect', reason)))
        dn.On('message', lambda c, data, from_, ts: ev.append(('message', c, data)))
        dn.On('presence', lambda c, occupancy, members: ev.append(('presence', c, occupancy, members)))
        self.connected(m)
        self.subscribed(dn, ch)
        dn.Publish(ch, [1, 2])
        kit.wait_until(lambda: ('message', ch, [1, 2]) in ev, step=dn.Poll, what='message event')
        dn.client.GetPresence(ch)
        kit.wait_until(lambda: any(e[0] == 'presence' for e in ev), step=dn.Poll, what='presence event')
        presence = [e for e in ev if e[0] == 'presence'][0]
        self.assertEqual(presence[1], ch)
        self.assertGreaterEqual(presence[2], 1)
        self.assertIsInstance(presence[3], list)
        dn.Disconnect()
        kit.wait_until(lambda: any(e[0] == 'disconnect' for e in ev), step=dn.Poll, what='disconnect event')
        self.assertIn(('connect',), ev)
        self.assertIn(('status', 'Connected'), ev)

    def test_error_event_for_a_rejected_key(self):
        m = self.loader()
        errors = []
        m.on('error', lambda err: errors.append(err))
        m.connect(api_key='not-a-valid-key', **kit.gateway_kwargs())
        kit.wait_until(lambda: errors, step=m.poll, what='error event')
        self.assertTrue(errors[0].code)
        self.assertIn(errors[0].code, str(errors[0]))
        self.assertNotIn('not-a-valid-key', str(errors[0]) + m.dn.Status)


class BinaryTests(FacadeTestCase):

    def test_bytes_bytearray_memoryview_publish_binary(self):
        dn = self.connected(self.loader())
        ch = channel('bin')
        got = []
        self.subscribed(dn, ch, lambda c, data: got.append(data), binary=True)
        payload = bytes(range(256)) * 4
        dn.Publish(ch, payload)
        dn.Publish(ch, bytearray(b'\x00\x01\x02'))
        dn.Publish(ch, memoryview(b'abcdef')[1:4])
        dn.Publish(ch, b'\x09\x08', content_type='application/x-test', metadata={'k': 1})
        kit.wait_until(lambda: len(got) == 4, step=dn.Poll, what='binary messages')
        self.assertEqual(got, [payload, b'\x00\x01\x02', b'bcd', b'\x09\x08'])
        rows = dn.client.TakeRows(100)
        cells = list(rows.Cells)
        self.assertIn('application/x-test', cells)

    def test_dmx(self):
        dn = self.connected(self.loader())
        ch = channel('dmx')
        got = []
        self.subscribed(dn, ch, lambda c, data: got.append(data), binary=True)
        self.assertTrue(dn.PublishDmx(ch, [0, 127.6, 255, 300]))
        kit.wait_until(lambda: got, step=dn.Poll, what='dmx frame')
        frame = got[0]
        self.assertEqual(len(frame), 512)
        self.assertEqual(list(frame[:4]), [0, 127, 255, 255])   # Dmx.BuildFrame truncates and clamps
        cells = list(dn.client.TakeRows(10).Cells)
        self.assertIn('binary/dmx', cells)


class RobustnessTests(FacadeTestCase):

    def test_throwing_handler_is_reported_counted_and_poll_continues(self):
        dn = self.connected(self.loader())
        ch = channel('throw')
        good = []

        def bad_handler(c, data):
            raise ZeroDivisionError('boom %s' % data)
        self.subscribed(dn, ch, bad_handler)
        self.subscribed(dn, ch, lambda c, data: good.append(data))
        errors_in_poll = [0]

        def step():
            r = dn.Poll()
            errors_in_poll[0] += r.HandlerErrors
        with kit.captured_fds() as text:
            for i in range(3):
                dn.Publish(ch, i)
            kit.wait_until(lambda: len(good) == 3, step=step, what='all messages to the good handler')
            out = text()
        self.assertEqual(good, [0, 1, 2])
        self.assertEqual(dn.HandlerErrors, 3)
        self.assertEqual(errors_in_poll[0], 3)
        self.assertEqual(dn.client.Stats.HandlerErrors, 3)
        self.assertIn('bad_handler', out)
        self.assertIn('ZeroDivisionError: boom 0', out)

    def test_handlers_and_events_run_on_the_main_thread_only(self):
        dn = self.connected(self.loader())
        ch = channel('thread')
        h = kit.main_thread_only(None)
        e = kit.main_thread_only(None)
        dn.On('message', e)
        self.subscribed(dn, ch, h)
        for i in range(50):
            dn.Publish(ch, i)
        kit.wait_until(lambda: len(h.calls) == 50 and len(e.calls) == 50, step=dn.Poll, what='50 messages')
        self.assertTrue(all(h.calls) and all(e.calls))

    def test_two_loaders_two_clients(self):
        a = self.loader('/project1/a/DataNet')
        b = self.loader('/project1/b/DataNet')
        self.connected(a)
        self.connected(b)
        self.assertIsNot(a.dn.client, b.dn.client)
        ch = channel('two')
        got = []
        self.subscribed(b.dn, ch, lambda c, data: got.append(data))
        a.dn.Publish(ch, {'from': 'a'})
        kit.wait_until(lambda: got, step=lambda: (a.dn.Poll(), b.dn.Poll()), what='a -> b')
        a.dn.Dispose()
        self.assertIsNone(a.dn.client)
        self.assertEqual(b.dn.Status, 'Connected')
        self.assertEqual(got, [{'from': 'a'}])

    def test_dispose_reset_and_new_settings_never_wait_on_the_main_thread(self):
        """The .NET Dispose stops the connection loop and may wait for it (up to seconds on a dead link): the
        facade hands it to another thread. Here Dispose blocks until the test lets it go; called on the main
        thread, dn.Dispose() would not return before that."""
        m = self.loader()
        dn = self.connected(m)
        for change in (lambda: dn.Dispose(), lambda: dn.Connect(device_name='another name')):
            if dn.client is None:
                self.connected(m)
            release, ran_on = threading.Event(), []
            real = dn._entry.client

            class SlowDispose(object):
                def __getattr__(self, name):
                    return getattr(real, name)

                def Dispose(self):
                    ran_on.append(threading.current_thread() is threading.main_thread())
                    release.wait(30)
                    real.Dispose()
            dn._entry.client = SlowDispose()
            change()                                 # returns while the old client's Dispose still waits
            self.assertFalse(release.is_set())
            release.set()
            kit.wait_until(lambda: str(real.State) == 'Disconnected', what='the old client disposed')
            self.assertEqual(ran_on, [False], 'Dispose ran off the main thread')

    def test_publish_before_connect_is_queued(self):
        sub = self.connected(self.loader())
        ch = channel('early')
        got = []
        self.subscribed(sub, ch, lambda c, data: got.append(data))
        saved = {k: os.environ.get(k) for k in ('DATANET_API_URL', 'DATANET_WS_URL')}
        os.environ['DATANET_API_URL'], os.environ['DATANET_WS_URL'] = kit.API_URL, kit.WS_URL
        self.addCleanup(lambda: [os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
                                 for k, v in saved.items()])
        m = self.loader()
        self.assertTrue(m.dn.Publish(ch, 'queued'))   # no connection yet: the client's outbox holds it
        m.dn.Connect()                                # same settings: same client, queue kept
        kit.wait_until(lambda: got == ['queued'], step=lambda: (sub.Poll(), m.dn.Poll()), what='queued publish')


class ReloadTests(FacadeTestCase):

    def test_100_reloads_leak_no_thread_or_socket_and_keep_subscriptions(self):
        path = '/project1/reload/DataNet'
        m = self.loader(path)
        ch = channel('reload')
        got = []
        m.dn.Subscribe(ch, lambda c, data: got.append(data))
        self.connected(m)
        for _ in range(5):   # warm up: thread pool, HTTP handlers, JIT
            m = new_loader(path)
            kit.wait_until(lambda: m.dn.Status == 'Connected', step=m.dn.Poll, what='reconnected')
        base_sockets, base_threads, base_py = kit.open_sockets(), kit.os_threads(), threading.active_count()
        generation = m.dn.ClientGeneration
        for i in range(100):
            m = new_loader(path)   # the DAT's text changed: module re-executed
            if i % 2:              # half the reloads catch a client mid-connect, half a connected one
                kit.wait_until(lambda: m.dn.Status == 'Connected', step=m.dn.Poll, what='reconnected after a reload')
        self.loaders.append(m)
        self.assertEqual(m.dn.ClientGeneration, generation + 100)
        kit.wait_until(lambda: m.dn.Status == 'Connected', step=m.dn.Poll, what='connected after 100 reloads')
        kit.wait_until(lambda: m.dn.client.GetOccupancy(ch) >= 1, step=m.dn.Poll, what='resubscribed')
        m.dn.Publish(ch, 'still here')
        kit.wait_until(lambda: 'still here' in got, step=m.dn.Poll, what='handler carried over the reloads')
        if base_sockets is not None:
            kit.wait_until(lambda: kit.open_sockets() <= base_sockets, step=m.dn.Poll,
                           what=lambda: 'sockets back to %d (now %s)' % (base_sockets, kit.open_sockets()))
        # Server side (after the socket count: presence requests open HTTP connections of their own):
        # only this client is still subscribed (a leaked client would still be connected).
        presence, asked = [], [0]
        m.dn.On('presence', lambda c, occupancy, members: presence.append(occupancy))

        def ask():   # one request at a time; ask again only when the previous answer was not 1
            m.dn.Poll()
            if asked[0] == len(presence):
                asked[0] += 1
                m.dn.client.GetPresence(ch)
        kit.wait_until(lambda: presence and presence[-1] == 1, step=ask,
                       what=lambda: 'occupancy 1 on the gateway (answers: %s)' % presence)
        # .NET's thread pool keeps idle workers for a while and grows under CPU load; a leak would
        # be at least one thread per reload (+100), so the bound is growth below half of that.
        kit.wait_until(lambda: kit.os_threads() < base_threads + 50, step=m.dn.Poll,
                       what=lambda: 'threads below %d + 50 (now %d)' % (base_threads, kit.os_threads()))
        self.assertEqual(threading.active_count(), base_py)
        import System
        loaded = [a for a in System.AppDomain.CurrentDomain.GetAssemblies() if a.GetName().Name == 'DataNet.Td']
        self.assertEqual(len(loaded), 1)
        st = __import__('sys').modules['datanet_td_runtime']
        self.assertEqual([p for p, e in st.entries.items() if e.client is not None], [path])


class SecretTests(FacadeTestCase):
    KEY = 'ak_SECRET_do_not_print_5f4e3d2c'
    BAD = 'zz_SECRET_rejected_key_1a2b3c'

    def test_key_never_printed(self):
        saved = os.environ.get('DATANET_API_KEY')
        os.environ['DATANET_API_KEY'] = self.KEY
        self.addCleanup(lambda: os.environ.__setitem__('DATANET_API_KEY', saved) if saved is not None
                        else os.environ.pop('DATANET_API_KEY', None))
        texts = []
        with kit.captured_fds() as text:
            m = self.loader()
            dn = self.connected(m)
            ch = channel('secret')
            self.subscribed(dn, ch, lambda c, data: (_ for _ in ()).throw(RuntimeError('handler fails')))
            dn.Publish(ch, {'a': 1})
            kit.wait_until(lambda: dn.HandlerErrors, step=dn.Poll, what='handler error logged')
            texts += [repr(dn), str(dn), dn.Status, str(dn.client.Options), str(dn.client.Stats.LastError),
                      repr(m.dn.client), json.dumps({k: v for k, v in dn._entry.settings.items() if k != 'api_key'})]
            bad = self.loader()
            errors = []
            bad.on('error', errors.append)
            bad.connect(api_key=self.BAD, **kit.gateway_kwargs())
            kit.wait_until(lambda: errors, step=bad.poll, what='auth error')
            texts += [str(e) for e in errors] + [bad.dn.Status, repr(bad.dn)]
            m._log('a log line mentioning %s by accident' % self.KEY)
            texts.append(text())
        everything = '\n'.join(texts)
        self.assertIn('handler fails', everything, 'the capture works')
        self.assertNotIn(self.KEY, everything)
        self.assertNotIn(self.BAD, everything)
        self.assertNotIn('SECRET', everything)


if __name__ == '__main__':
    unittest.main()
