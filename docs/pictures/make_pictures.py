"""Draw the docs' pictures as SVG from the sources they show, so they never drift from the code.

    python3 docs/pictures/make_pictures.py            # rewrite docs/pictures/*.svg
    python3 docs/pictures/make_pictures.py --check    # exit 1 when a checked-in picture is out of date

  data-path.svg    the path of a message, sensor to Table DAT and Script CHOP, and of a publish back
  network.svg      the DataNet component's network: OPERATORS, WIRES and the callbacks wiring of
                   tox-source/build_datanet_tox.py, at the positions the build gives them
  parameters.svg   the component's custom parameter pages, from tox-source/datanet_parameters.json

Standard library only (no Graphviz, nothing to install); the output is the same bytes on every machine.
"""
import json
import os
import re
import runpy
import sys
import tempfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUILDER = os.path.join(REPO, 'tox-source', 'build_datanet_tox.py')
PARAMETERS = os.path.join(REPO, 'tox-source', 'datanet_parameters.json')

FONT = 'font-family="Helvetica, Arial, sans-serif"'
INK, MUTED, LINE = '#222', '#666', '#444'
# Operator family colours, close to TouchDesigner's network editor.
FAMILY = {'DAT': '#b7a5d6', 'CHOP': '#a7d39b', 'COMP': '#c9c9c9'}


class Svg:
    """A picture being drawn: shapes appended in order, written with a fixed header."""

    def __init__(self, width, height, title):
        self.width, self.height, self.title = width, height, title
        self.parts = []

    def rect(self, x, y, w, h, fill='#fff', stroke=LINE, dash=None, radius=6):
        extra = ' stroke-dasharray="%s"' % dash if dash else ''
        self.parts.append('<rect x="%g" y="%g" width="%g" height="%g" rx="%g" fill="%s" stroke="%s"%s/>'
                          % (x, y, w, h, radius, fill, stroke, extra))

    def text(self, x, y, s, size=13, anchor='start', weight='normal', fill=INK, mono=False):
        family = ' font-family="Menlo, Consolas, monospace"' if mono else ''
        self.parts.append('<text x="%g" y="%g" font-size="%g" text-anchor="%s" font-weight="%s" fill="%s"%s>%s</text>'
                          % (x, y, size, anchor, weight, fill, family, escape(str(s))))

    def line(self, x1, y1, x2, y2, arrow=True, dash=None, color=LINE):
        extra = ' marker-end="url(#arrow)"' if arrow else ''
        extra += ' stroke-dasharray="%s"' % dash if dash else ''
        self.parts.append('<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="1.5"%s/>'
                          % (x1, y1, x2, y2, color, extra))

    def box(self, x, y, w, h, title, lines=(), fill='#fff', dash=None):
        """A labelled box: a bold title and smaller lines under it, centred."""
        self.rect(x, y, w, h, fill=fill, dash=dash)
        top = y + h / 2 - 8 * len(lines) + 4
        self.text(x + w / 2, top, title, size=13, anchor='middle', weight='bold')
        for i, s in enumerate(lines):
            self.text(x + w / 2, top + 17 * (i + 1), s, size=11, anchor='middle', fill=MUTED)

    def render(self):
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" %s>\n'
                '<title>%s</title>\n'
                '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker></defs>\n'
                '<rect width="100%%" height="100%%" fill="#fff"/>\n%s\n</svg>\n'
                % (self.width, self.height, self.width, self.height, FONT, escape(self.title), LINE,
                   '\n'.join(self.parts)))


def data_path():
    """Left to right: where a message comes from, the threads it crosses, where TouchDesigner shows it."""
    svg = Svg(1180, 430, 'DataNet data path')
    svg.text(20, 28, 'A message, sensor to TouchDesigner (top), and a publish back (bottom)', size=15, weight='bold')
    # Regions: the background threads and TD's main thread.
    svg.rect(390, 50, 420, 360, fill='#f4f7fb', stroke='#9ab', dash='6 4')
    svg.text(400, 70, 'DataNet.Td: background threads (never call Python or TD)', size=11, fill=MUTED)
    svg.rect(830, 50, 330, 360, fill='#f6fbf3', stroke='#9b9', dash='6 4')
    svg.text(840, 70, "TouchDesigner's main thread, once per frame", size=11, fill=MUTED)

    svg.box(20, 90, 160, 70, 'Sensor, browser,', ['Arduino, other SDKs', 'publish to a channel'])
    svg.box(210, 90, 160, 70, 'Gateway', ['DataNet cloud or', 'local (datanet gateway)'])
    svg.box(410, 90, 180, 70, 'Socket thread', ['receive, decode envelope,', 'flatten numbers once'])
    svg.box(620, 90, 170, 70, 'Inbox', ['bounded queue,', 'every drop counted'])
    svg.box(850, 90, 150, 70, 'Poll()', ['onFrameStart:', 'one call per frame'])
    for x1, x2 in ((180, 210), (370, 410), (590, 620), (790, 850)):
        svg.line(x1, 125, x2, 125)

    svg.box(1020, 80, 130, 50, 'Handlers, events', ['your callbacks'])
    svg.box(1020, 150, 130, 50, 'Table DAT', ['rows (Maxlines)'])
    svg.box(1020, 220, 130, 50, 'Script CHOP', ['values: env/t, on'])
    svg.line(1000, 115, 1020, 105)
    svg.line(1000, 130, 1020, 175)
    svg.line(1000, 145, 1020, 245)

    svg.box(850, 320, 150, 60, 'Publish()', ['any thread,', 'e.g. a CHOP'])
    svg.box(620, 320, 170, 60, 'Outbox', ['bounded offline queue,', 'kept in order'])
    svg.box(410, 320, 180, 60, 'Connection loop', ['auth, heartbeat, retry,', 'resubscribe, flush'])
    svg.line(850, 350, 790, 350)
    svg.line(620, 350, 590, 350)
    svg.line(410, 350, 290, 350, arrow=False)
    svg.line(290, 350, 290, 160)
    svg.text(300, 300, 'pub', size=11, fill=MUTED)
    svg.text(420, 215, 'The key and the token never reach', size=11, fill=MUTED)
    svg.text(420, 231, 'a log, Status or an exception.', size=11, fill=MUTED)
    return svg.render()


def _family(optype):
    return 'CHOP' if optype.endswith('CHOP') else 'COMP' if optype.endswith('COMP') else 'DAT'


def network():
    """The operators build_datanet_tox.py creates, where it places them, and how they are wired."""
    builder = runpy.run_path(BUILDER)
    operators, wires = builder['OPERATORS'], builder['WIRES']
    with open(BUILDER, encoding='utf-8') as f:
        source = f.read()
    # ops['values'].par.callbacks = 'chop_values': the Script CHOPs' callbacks DATs.
    callbacks = re.findall(r"ops\['(\w+)'\]\.par\.callbacks = '(\w+)'", source)

    w, h, margin, top = 150, 54, 40, 90
    xs = [x for _, _, _, (x, _) in operators]
    ys = [y for _, _, _, (_, y) in operators]
    left, high = min(xs), max(ys)
    place = {name: (margin + (x - left) * 1.15, top + (high - y) * 1.0) for name, _, _, (x, y) in operators}
    width = margin * 2 + (max(xs) - left) * 1.15 + w
    height = top + (high - min(ys)) + h + 70
    svg = Svg(width, height, 'The DataNet component network')
    svg.text(margin, 30, "Inside DataNet.tox: the network tox-source/build_datanet_tox.py builds", size=15, weight='bold')
    svg.text(margin, 52, 'Base COMP "DataNet": extension DataNetExt (promoted), parameter pages from datanet_parameters.json',
             size=12, fill=MUTED)

    for name, optype, src, _ in operators:
        x, y = place[name]
        svg.rect(x, y, w, h, fill=FAMILY[_family(optype)])
        svg.text(x + 8, y + 20, name, size=13, weight='bold')
        svg.text(x + 8, y + 36, optype, size=11, fill=MUTED)
        if src is not None:
            svg.text(x + 8, y + 49, '%s/%s' % ('python' if src[0] == 'python' else 'tox-source', src[1]), size=10, fill=MUTED)
    for src, dst in wires:
        (x1, y1), (x2, y2) = place[src], place[dst]
        svg.line(x1 + w, y1 + h / 2, x2, y2 + h / 2)
    for chop, dat in callbacks:
        (x1, y1), (x2, y2) = place[dat], place[chop]
        svg.line(x1 + w, y1 + h / 2, x2, y2 + h / 2, dash='4 3', color='#777')

    legend_y = height - 24
    used = sorted({_family(optype) for _, optype, _, _ in operators})
    for i, (family, colour) in enumerate((f, FAMILY[f]) for f in used):
        svg.rect(margin + i * 110, legend_y - 12, 16, 16, fill=colour, radius=3)
        svg.text(margin + i * 110 + 22, legend_y + 1, family, size=12)
    svg.line(margin + 340, legend_y - 4, margin + 380, legend_y - 4)
    svg.text(margin + 386, legend_y + 1, 'wire', size=12)
    svg.line(margin + 440, legend_y - 4, margin + 480, legend_y - 4, dash='4 3', color='#777')
    svg.text(margin + 486, legend_y + 1, 'callbacks DAT of a Script CHOP', size=12)
    return svg.render()


def _widget(svg, x, y, spec):
    """The control TouchDesigner shows for a parameter style, drawn at (x, y), 220 px wide."""
    style, default = spec['style'], spec.get('default', '')
    grey = '#eee' if spec.get('readOnly') else '#fff'
    if style == 'Toggle':
        svg.rect(x, y - 12, 16, 16, fill='#5a8' if default else grey, radius=3)
    elif style == 'Pulse':
        width = max(110, 7 * len(spec['label']) + 16)
        svg.rect(x, y - 13, width, 19, fill='#e6e6e6', radius=4)
        svg.text(x + width / 2, y + 1, spec['label'], size=11, anchor='middle')
    elif style == 'Menu':
        labels = dict(zip(spec['menuNames'], spec['menuLabels']))
        svg.rect(x, y - 13, 220, 19, fill=grey, radius=3)
        svg.text(x + 6, y + 1, labels.get(default, default)[:34] + ' \u25be', size=11)
    else:
        value = '\u2022' * 8 if spec.get('password') else default
        if style in ('CHOP', 'DAT', 'Folder') and not value:
            value = '(%s)' % style.lower()
        svg.rect(x, y - 13, 220, 19, fill=grey, radius=3)
        svg.text(x + 6, y + 1, str(value)[:36], size=11, fill=INK if value != '' else MUTED)


def parameters():
    """The custom pages as TouchDesigner lists them: label, control, and the Python name in grey."""
    with open(PARAMETERS, encoding='utf-8') as f:
        pages = json.load(f)
    row, panel_w, header = 26, 520, 34
    names = list(pages)
    columns = [[names[0]], names[1:]]   # the long first page beside the others
    heights = {p: header + row * len(pages[p]) + 6 * sum(1 for s in pages[p].values() if s.get('startSection')) + 14
               for p in names}
    height = 60 + max(sum(heights[p] + 20 for p in col) for col in columns)
    svg = Svg(40 + len(columns) * (panel_w + 30), height, 'DataNet component parameters')
    svg.text(20, 30, 'DataNet.tox custom parameters (tox-source/datanet_parameters.json)', size=15, weight='bold')
    for c, col in enumerate(columns):
        x, y = 20 + c * (panel_w + 30), 50
        for page in col:
            svg.rect(x, y, panel_w, heights[page], fill='#fafafa')
            svg.rect(x, y, 120, 24, fill='#dde', radius=4)
            svg.text(x + 60, y + 17, page, size=13, anchor='middle', weight='bold')
            cy = y + header + 14
            for name, spec in pages[page].items():
                if spec.get('startSection'):
                    svg.line(x + 10, cy - 17, x + panel_w - 10, cy - 17, arrow=False, color='#bbb')
                    cy += 6
                svg.text(x + 150, cy, spec['label'], size=12, anchor='end',
                         fill=MUTED if spec.get('readOnly') else INK)
                _widget(svg, x + 160, cy, spec)
                svg.text(x + 390, cy, name, size=10, fill='#999', mono=True)
                cy += row
            y += heights[page] + 20
    return svg.render()


PICTURES = {'data-path.svg': data_path, 'network.svg': network, 'parameters.svg': parameters}


def main(argv):
    check = '--check' in argv
    stale = []
    for name, draw in PICTURES.items():
        path = os.path.join(HERE, name)
        content = draw()
        if check:
            current = open(path, encoding='utf-8').read() if os.path.exists(path) else None
            if current != content:
                stale.append(name)
        else:
            with open(path, 'w', encoding='utf-8', newline='\n') as f:
                f.write(content)
            print('wrote', os.path.relpath(path, REPO))
    if stale:
        print('out of date: %s; run: python3 docs/pictures/make_pictures.py' % ', '.join(stale))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
