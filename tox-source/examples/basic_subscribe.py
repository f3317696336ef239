"""Example: one DataNet channel into a table. Textport, in a new empty project:

    import runpy; runpy.run_path(r'<repo>/tox-source/examples/basic_subscribe.py', run_name='__main__')

/project1: DataNet (Channels = demo/hello, local gateway) and ``messages``, a Select DAT showing the
component's table (channel | from | timestamp | contentType | data, newest last, 100 lines).
Publish something to see rows: run publish_from_chop.toe with Publish Channel demo/hello, or
``op('DataNet').Publish('demo/hello', {'text': 'hi'})`` in the Textport.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import example_common

CHANNEL = 'demo/hello'


def setup(td, project1, datanet):
    datanet.par.Channels = CHANNEL
    messages = project1.create(td.selectDAT, 'messages')
    messages.par.dat = datanet.path + '/out_rows'   # Select_DAT: DAT (parameter name: VERIFY, docs section 8)
    messages.nodeX, messages.nodeY = 250, 0
    example_common.note(project1, 'readme', __doc__)


def build(**options):
    return example_common.build_example('basic_subscribe', setup, **options)


if __name__ == '__main__':
    build()
