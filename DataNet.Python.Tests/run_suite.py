"""Lists and runs the Python suites for PythonTests.cs, one NUnit test per Python test (standard library only).

  python run_suite.py list SUITE...        one JSON line per test id, e.g. {"id": "test_facade.SpellingTests.test_x"}
  python run_suite.py run SUITE RESULTS    runs the suite; RESULTS gets one JSON line per test:
                                           {"id", "outcome" (passed|failed|skipped), "traceback", "duration"}
                                           (errors of no one test, e.g. setUpClass, under unittest's description),
                                           then {"done": true} once the whole suite ran

A module that cannot be imported is listed (and fails) under unittest's own name for it, e.g.
unittest.loader._FailedTest.test_facade, so a suite that breaks before its tests run still shows up as a failure.
Every test's output (Python's and .NET's, fds 1 and 2) goes to this process's stdout behind a marker line
"##datanet-test <id>", so the caller can hand each test its own.
"""
import json
import os
import sys
import time
import unittest


def tests_of(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from tests_of(test)
        else:
            yield test


def load(name):
    return unittest.defaultTestLoader.loadTestsFromName(name)


class JsonLinesResult(unittest.TestResult):
    """Writes one line per finished test; subtest failures count as the test's own."""

    def __init__(self, out):
        super().__init__()
        self._out = out
        self._failures = []
        self._skip = None
        self._started = 0.0

    def startTest(self, test):
        super().startTest(test)
        self._failures = []
        self._skip = None
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(1, ('\n##datanet-test %s\n' % test.id()).encode('utf-8'))
        self._started = time.monotonic()

    def _fail(self, test, err):
        if isinstance(test, unittest.TestCase):
            self._failures.append(self._exc_info_to_string(err, test))
        else:   # setUpModule, setUpClass, tearDownClass...: belongs to no one test; the suite's own test reports it
            self.write({'id': str(test), 'outcome': 'failed', 'duration': 0, 'traceback': self._exc_info_to_string(err, test)})

    addError = addFailure = _fail

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._failures.append('%s\n%s' % (subtest.id(), self._exc_info_to_string(err, test)))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._skip = reason

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._failures.append('unexpected success (the test is marked expectedFailure)')

    def stopTest(self, test):
        sys.stdout.flush()
        sys.stderr.flush()
        outcome = 'failed' if self._failures else 'skipped' if self._skip is not None else 'passed'
        self.write({'id': test.id(), 'outcome': outcome, 'duration': round(time.monotonic() - self._started, 3),
                    'traceback': '\n'.join(self._failures) if self._failures else (self._skip or '')})
        super().stopTest(test)

    def write(self, line):
        self._out.write(json.dumps(line) + '\n')
        self._out.flush()


def main(argv):
    if len(argv) >= 2 and argv[0] == 'list':
        for name in argv[1:]:
            for test in tests_of(load(name)):
                print(json.dumps({'id': test.id()}))
        return 0
    if len(argv) == 3 and argv[0] == 'run':
        os.dup2(1, 2)   # one stream, in order: each test's output follows its marker line
        suite = load(argv[1])
        with open(argv[2], 'w', encoding='utf-8') as out:
            result = JsonLinesResult(out)
            suite.run(result)
            result.write({'done': True})
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
