"""tdfake: a faithful fake of TouchDesigner's Python API for the DataNet SDK tests.

See README.md in this folder for what is faked, how faithfully, and the sources.
"""
from .errors import CallbackError, MainThreadError, tdError
from .fake import TDFakeProject
from .pars import Par, ParGroup, Page, ParMode, ParCollection
from .ops import OP, Connector
from .dats import (DAT, Cell, textDAT, tableDAT, fifoDAT, executeDAT, parameterexecuteDAT,
                   datexecuteDAT, scriptDAT, nullDAT, jsonDAT)
from .chops import (CHOP, Channel, scriptCHOP, constantCHOP, lfoCHOP, infoCHOP, nullCHOP,
                    selectCHOP, legal_channel_name)
from .comps import COMP, baseCOMP, containerCOMP, geometryCOMP, VFS, VFSFile
from . import classes, serialize, tdjson as TDJSON, tdu
from .classes import register_generic

__all__ = ['CallbackError', 'MainThreadError', 'tdError', 'TDFakeProject',
           'Par', 'ParGroup', 'Page', 'ParMode', 'ParCollection', 'OP', 'Connector',
           'DAT', 'Cell', 'textDAT', 'tableDAT', 'fifoDAT', 'executeDAT', 'parameterexecuteDAT',
           'datexecuteDAT', 'scriptDAT', 'nullDAT', 'jsonDAT',
           'CHOP', 'Channel', 'scriptCHOP', 'constantCHOP', 'lfoCHOP', 'infoCHOP', 'nullCHOP',
           'selectCHOP', 'legal_channel_name', 'COMP', 'baseCOMP', 'containerCOMP', 'geometryCOMP', 'VFS', 'VFSFile',
           'classes', 'serialize', 'TDJSON', 'tdu', 'register_generic']
