"""The frame path: one call into .NET per frame (counted, never timed), the frame record, batched
handlers, and the runtime the zero-pip route starts (its configuration)."""
import json
import unittest

import dn_testkit as kit
from test_outputs import Network, Publisher, channel


class CrossingCounter(object):
    """Stands between the facade and the .NET client: every attribute read on a .NET object and every call
    of a .NET method counts as one pythonnet crossing (what costs 25 to 100 us cold, once per frame)."""

    def __init__(self, target, counts):
        object.__setattr__(self, '_target', target)
        object.__setattr__(self, '_counts', counts)

    def __getattr__(self, name):
        self._counts.append(name)
        return _wrap(getattr(self._target, name), self._counts, name)

    def __setattr__(self, name, value):
        self._counts.append(name)
        setattr(self._target, name, value)


def _wrap(value, counts, name):
    kind = type(value).__name__
    if kind == 'MethodBinding':   # a .NET method: calling it is a crossing of its own
        def call(*args):
            counts.append(name + '()')
            return _wrap(value(*args), counts, name + '()')
        return call
    if type(value).__module__ not in ('builtins',) and not isinstance(value, (str, int, float, bool)):
        return CrossingCounter(value, counts)
    return value


def count_frame_calls(test, module, counts):
    """The frame's call goes through a C function pointer (ctypes), not through the counted client: count each
    call of it too, as the crossing it is."""
    plain = module._native_function

    def counted(address):
        function = plain(address)

        def call(request):
            counts.append('PollFrameEntryPoint()')
            return function(request)
        return call
    module._native_function = counted
    test.addCleanup(setattr, module, '_native_function', plain)


class CrossingTests(unittest.TestCase):

    def test_the_frame_hook_path_crosses_into_dotnet_at_most_twice_a_frame(self):
        ch = channel('cross')
        net = Network(self, channels=ch, maxrows=50).connected()
        net.subscribed(ch)
        client = Publisher(self).raw_client(self)
        counts = []
        entry = net.dn._entry
        entry.client = CrossingCounter(entry.client, counts)
        entry.bridge = {}   # what the facade looked up on the real client is looked up again, through the counter
        count_frame_calls(self, net.loader.module, counts)
        per_frame = []
        for i in range(40):
            for k in range(3):
                client.Publish(ch, json.dumps({'x': i, 'k': k, 'env': {'t': 20 + i}}))
            before = len(counts)
            net.frame()
            per_frame.append(counts[before:])
        last = {ch + '/x': 39.0, ch + '/k': 2.0, ch + '/env/t': 59.0}

        def arrived():
            before = len(counts)
            net.frame()
            per_frame.append(counts[before:])
            return net.chop() == last
        kit.wait_until(arrived, what=lambda: 'the last values on the CHOP (CHOP %r)' % net.chop())
        self.assertGreater(net.rows.numRows, 1, 'rows reached the table')
        self.assertEqual(net.comp.par.Status.eval(), 'Connected')
        worst = max(per_frame, key=len)
        self.assertLessEqual(len(worst), 2, 'crossings in one frame: %r' % worst)
        # The entry point is looked up once per client, then called once a frame.
        self.assertEqual(per_frame[0], ['PollFrameEntryPoint', 'PollFrameEntryPoint()'])
        self.assertTrue(all(f == ['PollFrameEntryPoint()'] for f in per_frame[1:]), per_frame)


class FrameRecordTests(unittest.TestCase):

    def setUp(self):
        self.m = kit.exec_loader(extra_globals={'me': type('Me', (), {'path': '/frame/%d' % id(self)})()})
        self.addCleanup(self.m.dn.Dispose)
        self.dn = self.m.dn
        self.dn.Connect(**kit.gateway_kwargs())
        kit.wait_until(lambda: self.dn.Status == 'Connected', step=self.dn.Poll, what='connected')

    def subscribed(self, ch, batch=None):
        if batch is None:
            self.dn.Subscribe(ch)
        else:
            self.dn.SubscribeBatch(ch, batch)
        kit.wait_until(lambda: self.dn.client.GetOccupancy(ch) >= 1, step=self.dn.Poll, what='sub_ack')

    def test_rows_values_status_and_counters_in_one_result(self):
        ch = channel('rec')
        self.subscribed(ch)
        values = self.m.ValuesBuffer([ch], prefix=False)
        self.dn.Publish(ch, {'a': 1, 'b': {'c': 2.5}})
        self.dn.Publish(ch, 'tab\there\x1fand\x1e separators')   # control characters in the data survive
        seen = []

        def step():
            r = self.dn.Frame(10, values)
            seen.extend(r.rows)
            return r
        kit.wait_until(lambda: len(seen) == 2, step=step, what='two rows')
        r = self.dn.Frame(10, values)
        self.assertEqual(r.status, 'Connected')
        self.assertEqual(r.state, 'Connected')
        self.assertGreaterEqual(r.received, 2)
        self.assertEqual([row[0] for row in seen], [ch, ch])
        self.assertEqual(json.loads(seen[0][4]), {'a': 1, 'b': {'c': 2.5}})
        self.assertEqual(json.loads(seen[1][4]), 'tab\there\x1fand\x1e separators')
        self.assertEqual(values.current(), (['a', 'b/c'], [1.0, 2.5]))
        self.assertFalse(r.values_changed, 'nothing new this frame')

    def test_a_quiet_frame_reuses_the_last_result_and_a_message_ends_that(self):
        ch = channel('quiet')
        self.subscribed(ch)
        values = self.m.ValuesBuffer([ch], prefix=False)
        self.dn.Publish(ch, {'a': 1})
        kit.wait_until(lambda: values.count == 1, step=lambda: self.dn.Frame(10, values), what='the value')
        settled = lambda: self.dn.Frame(10, values)   # noqa: E731
        kit.wait_until(lambda: (lambda r: r.messages == 0 and r.events == 0 and not r.rows)(settled()),
                       what='a frame with nothing new')
        read = []
        plain = type(self.dn)._read_frame

        def counted(facade, text, buf):
            read.append(text)
            return plain(facade, text, buf)
        type(self.dn)._read_frame = counted
        self.addCleanup(setattr, type(self.dn), '_read_frame', plain)
        quiet = [self.dn.Frame(10, values) for _ in range(5)]
        self.assertLessEqual(len(read), 2, 'a quiet frame equal to the last is not parsed again')
        self.assertEqual([(r.status, r.messages, r.rows, r.values_changed) for r in quiet], [('Connected', 0, [], False)] * 5)
        self.assertEqual(quiet[-1].received, quiet[0].received)
        self.assertIsNot(quiet[-1], quiet[-2], 'a result of its own each frame')
        self.dn.Publish(ch, {'a': 2})
        seen = []

        def step():
            r = self.dn.Frame(10, values)
            seen.extend(r.rows)
            return values.current()[1] == [2.0] and r.values_changed
        kit.wait_until(step, what='the new value, reported as changed')
        self.assertEqual([json.loads(row[4]) for row in seen], [{'a': 2}])

    def test_a_layout_larger_than_the_buffer_arrives_with_the_next_frame(self):
        ch = channel('big')
        self.subscribed(ch)
        values = self.m.ValuesBuffer([ch], prefix=False)
        n = self.m.INITIAL_VALUES + 44
        self.dn.Publish(ch, {'f%d' % i: i for i in range(n)})
        kit.wait_until(lambda: values.count == n, step=lambda: self.dn.Frame(-1, values), what='all values')
        names, vals = values.current()
        self.assertEqual(names[:3], ['f0', 'f1', 'f2'])
        self.assertEqual(vals, [float(i) for i in range(n)])

    def test_batched_handler_gets_one_list_per_frame_and_channel(self):
        ch = channel('batch')
        calls = []
        self.subscribed(ch, batch=lambda channel, messages: calls.append((channel, messages)))
        for i in range(25):
            self.dn.Publish(ch, {'i': i})
        self.dn.Publish(ch, b'\x01\x02')
        kit.wait_until(lambda: sum(len(m) for _, m in calls) == 26, step=lambda: self.dn.Frame(), what='26 messages')
        self.assertLess(len(calls), 26, 'batched: fewer calls than messages')
        messages = [m for _, batch in calls for m in batch]
        self.assertEqual([m.data for m in messages[:25]], [{'i': i} for i in range(25)])
        self.assertEqual(messages[25].data, b'\x01\x02')
        self.assertEqual(messages[25].content_type, 'application/octet-stream')
        self.assertTrue(all(c == ch for c, _ in calls))
        self.assertIsInstance(messages[0].timestamp, int)


class RuntimeConfigTests(unittest.TestCase):

    def test_the_zero_pip_runtime_does_not_spin_the_thread_pool(self):
        """TD's process is not ours to heat: the runtime the loader starts has UnfairSemaphoreSpinLimit 0."""
        kit.exec_loader()   # the runtime is loaded (zero-pip in these suites)
        import System
        import datanet_runtime
        self.assertEqual(kit.exec_loader().dn.Runtime['route'], 'zero-pip')
        self.assertEqual(datanet_runtime.runtime_config()['runtimeOptions']['configProperties'],
                         {'System.Threading.ThreadPool.UnfairSemaphoreSpinLimit': 0})
        self.assertEqual(str(System.AppContext.GetData('System.Threading.ThreadPool.UnfairSemaphoreSpinLimit')), '0')


if __name__ == '__main__':
    unittest.main()
