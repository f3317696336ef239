"""Reads the TRX files ./test.sh wrote (one per test project) and prints, per project, its tests, outcomes and time;
the console output of any project that failed or wrote no results; the failed tests by name, each with its message
and the first of its stack frames in this project (CI may show only the tail of the output); and last one plain line
"N passed, N failed, N skipped". Exits 1 when a test failed or a project wrote no results. Standard library only.

  python3 .ci/test_summary.py artifacts/test-results
"""
import datetime
import os
import sys
import xml.etree.ElementTree as ET

NS = {'t': 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010'}
PROJECTS = ['DataNet.Td.Tests', 'DataNet.Gateway.Tests', 'DataNet.Cli.Tests', 'DataNet.Integration.Tests',
            'DataNet.Python.Tests', 'DataNet.Release.Tests']


def seconds(times):
    start, finish = (datetime.datetime.fromisoformat(times.get(k)) for k in ('start', 'finish'))
    return (finish - start).total_seconds()


def why(result):
    """A failed result's message, folded to one printable line, and its first stack frame in DataNet code."""
    message = ' '.join((result.findtext('.//t:ErrorInfo/t:Message', '', NS) or '').split())
    frames = [line.strip() for line in (result.findtext('.//t:ErrorInfo/t:StackTrace', '', NS) or '').splitlines()
              if line.strip().startswith('at DataNet.') and '.Testing.' not in line]
    text = message[:400] + (' ...' if len(message) > 400 else '') + ('  [%s]' % frames[0] if frames else '')
    return ''.join(c if c.isprintable() else '?' for c in text)


def read(path):
    root = ET.parse(path).getroot()
    outcomes = [r.get('outcome') for r in root.iterfind('.//t:UnitTestResult', NS)]
    failed = [(r.get('testName'), why(r)) for r in root.iterfind('.//t:UnitTestResult', NS)
              if r.get('outcome') == 'Failed']
    return {'total': len(outcomes), 'passed': outcomes.count('Passed'), 'failed': len(failed),
            'skipped': len(outcomes) - outcomes.count('Passed') - len(failed),
            'seconds': seconds(root.find('t:Times', NS)), 'failures': failed}


def main(folder):
    rows, broken, totals = [], [], {'total': 0, 'passed': 0, 'failed': 0, 'skipped': 0}
    for project in PROJECTS:
        trx = os.path.join(folder, project + '.trx')
        if not os.path.exists(trx):
            rows.append((project, None))
            broken.append(project)
            continue
        row = read(trx)
        rows.append((project, row))
        for key in totals:
            totals[key] += row[key]
        if row['failed']:
            broken.append(project)

    for project in broken:
        log = os.path.join(folder, project + '.log')
        print('\n===== %s (%s) =====' % (project, log))
        if os.path.exists(log):
            with open(log, encoding='utf-8', errors='replace') as f:
                print(f.read()[-20000:])

    print('\n%-28s %7s %7s %7s %7s %9s' % ('project', 'tests', 'passed', 'failed', 'skipped', 'time'))
    for project, row in rows:
        if row is None:
            print('%-28s %s' % (project, 'no results: see its log above'))
        else:
            print('%-28s %7d %7d %7d %7d %8.1fs' % (project, row['total'], row['passed'], row['failed'], row['skipped'],
                                                    row['seconds']))
    print('%-28s %7d %7d %7d %7d' % ('all', totals['total'], totals['passed'], totals['failed'], totals['skipped']))
    for project, row in rows:
        for name, reason in (row or {}).get('failures', []):
            print('FAILED %s: %s\n    %s' % (project, name, reason))
    print('%d passed, %d failed, %d skipped' % (totals['passed'], totals['failed'], totals['skipped']))
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
