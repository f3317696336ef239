"""Example: an LFO CHOP published at a steady rate. Textport, in a new empty project:

    import runpy; runpy.run_path(r'<repo>/tox-source/examples/publish_from_chop.py', run_name='__main__')

/project1: ``lfo`` (an LFO CHOP, channel ``wave``) and DataNet with Publish CHOP = lfo, Publish
Channel = demo/lfo, Publish Rate = 10 Hz, Publish Active on: ten messages a second
{"wave": 0.31}. Channels = demo/lfo too, so the component's own table and CHOP show what the
gateway sends back. Toggle DMX Mode to send the CHOP as a DMX frame instead.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import example_common

CHANNEL = 'demo/lfo'
RATE_HZ = 10


def setup(td, project1, datanet):
    lfo = project1.create(td.lfoCHOP, 'lfo')
    lfo.par.channelname = 'wave'   # LFO_CHOP: Channel Name, Frequency
    lfo.par.frequency = 0.5
    lfo.nodeX, lfo.nodeY = -250, 0
    datanet.par.Channels = CHANNEL
    datanet.par.Publishchop = lfo.path
    datanet.par.Publishchannel = CHANNEL
    datanet.par.Publishmode = 'rate'
    datanet.par.Publishrate = RATE_HZ
    datanet.par.Publishactive = True
    example_common.note(project1, 'readme', __doc__)


def build(**options):
    return example_common.build_example('publish_from_chop', setup, **options)


if __name__ == '__main__':
    build()
