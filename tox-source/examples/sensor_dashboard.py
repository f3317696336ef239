"""Example: numeric channels as CHOP channels driving a simple visual. Textport, in a new empty project:

    import runpy; runpy.run_path(r'<repo>/tox-source/examples/sensor_dashboard.py', run_name='__main__')

/project1: DataNet subscribed to project.local.env, ``sensor`` (a simulated sensor: LFO CHOPs published
by the same DataNet component to project.local.env at 10 Hz, so the example runs on its own; the
gateway echoes a publisher's messages to it), ``values`` (Select CHOP of the component's
out_values: project_local_env/t, project_local_env/h), and ``bar`` (a Rectangle TOP whose width and colour
follow the temperature). Replace the simulated sensor by turning Publish Active off and
publishing from a real device to project.local.env.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import example_common

CHANNEL = 'project.local.env'


def setup(td, project1, datanet):
    datanet.par.Channels = CHANNEL
    # simulated sensor: t (temperature 15..25) and h (humidity 40..60), published by DataNet itself
    t = project1.create(td.lfoCHOP, 'sensor_t')
    t.par.channelname, t.par.frequency, t.par.offset, t.par.amp = 't', 0.1, 20.0, 5.0   # LFO_CHOP parameters
    t.nodeX, t.nodeY = -400, 0
    h = project1.create(td.lfoCHOP, 'sensor_h')
    h.par.channelname, h.par.frequency, h.par.offset, h.par.amp = 'h', 0.05, 50.0, 10.0
    h.nodeX, h.nodeY = -400, -150
    sensor = project1.create(td.selectCHOP, 'sensor')
    sensor.par.chops = 'sensor_t sensor_h'   # Select_CHOP: CHOPs
    sensor.nodeX, sensor.nodeY = -200, 0
    datanet.par.Publishchop = sensor.path
    datanet.par.Publishchannel = CHANNEL
    datanet.par.Publishrate = 10
    datanet.par.Publishactive = True

    values = project1.create(td.selectCHOP, 'values')
    values.par.chops = datanet.path + '/out_values'
    values.nodeX, values.nodeY = 250, 0
    bar = project1.create(td.rectangleTOP, 'bar')
    temp = "(op('values')['project_local_env/t'] or 20)"
    # Rectangle_TOP: sizex, fillcolorr/b (names: VERIFY, docs section 8); Par_Class expr; CHOP_Class ['name']
    bar.par.sizex.expr = 'max(0.02, (%s - 10) / 20)' % temp
    bar.par.fillcolorr.expr = 'min(1, max(0, (%s - 15) / 10))' % temp
    bar.par.fillcolorb.expr = '1 - min(1, max(0, (%s - 15) / 10))' % temp
    bar.nodeX, bar.nodeY = 450, 0
    example_common.note(project1, 'readme', __doc__)


def build(**options):
    return example_common.build_example('sensor_dashboard', setup, **options)


if __name__ == '__main__':
    build()
