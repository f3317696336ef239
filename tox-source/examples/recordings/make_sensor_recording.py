"""Writes sensor_dashboard.jsonl beside this script: 30 s of the sensor_dashboard example's simulated sensor
(temperature ``t`` 15..25 and humidity ``h`` 40..60, the same LFOs as the example) on project.local.env at 10 Hz,
in the format `datanet record` writes. Rehearse with it (docs/touchdesigner.md, "Rehearse from a recording"):

    datanet gateway
    datanet replay tox-source/examples/recordings/sensor_dashboard.jsonl --loop forever

Standard library only; the output is the same on every run (a test regenerates it and compares).
"""
import json
import math
import os

CHANNEL = 'project.local.env'
RATE_HZ = 10
SECONDS = 30
STARTED_AT = '2026-12-04T18:00:00.000Z'
STARTED_AT_MS = 1796407200000   # STARTED_AT as unix milliseconds: the server timestamps ("ts") count from it
SENDER = 'sensor-sim'


def lines():
    yield {'format': 'datanet-recording', 'version': 1, 'startedAt': STARTED_AT,
           'channels': [CHANNEL], 'gateway': 'ws://127.0.0.1:8080'}
    for i in range(RATE_HZ * SECONDS):
        offset_ms = i * 1000 // RATE_HZ
        s = offset_ms / 1000.0
        # LFO CHOPs in the example: t = 20 + 5 sin(2 pi 0.1 s), h = 50 + 10 sin(2 pi 0.05 s)
        t = round(20.0 + 5.0 * math.sin(2 * math.pi * 0.1 * s), 3)
        h = round(50.0 + 10.0 * math.sin(2 * math.pi * 0.05 * s), 3)
        yield {'t': offset_ms, 'ch': CHANNEL, 'from': SENDER, 'ts': STARTED_AT_MS + offset_ms, 'd': {'t': t, 'h': h}}


def write(path):
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        for line in lines():
            f.write(json.dumps(line, separators=(',', ':')) + '\n')


if __name__ == '__main__':
    import sys
    write(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sensor_dashboard.jsonl'))
