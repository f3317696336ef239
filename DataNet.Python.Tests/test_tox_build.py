"""tox-source/: every build script runs against the TD fake with no unmocked call, and what it
builds is what the docs promise (operators, parameters, wiring, synced files, extension, VFS)."""
import json
import os
import unittest

import dn_testkit as kit
import tox_kit
from tdfake import TDFakeProject, serialize

PAGES = ['DataNet', 'Output', 'Publish', 'Callbacks', 'About']
TYPES = {
    'DataNet': 'textDAT', 'datanet_runtime': 'textDAT', 'DataNetExt': 'textDAT', 'frame_hook': 'executeDAT', 'parexec': 'parameterexecuteDAT',
    'table_sink': 'textDAT', 'rows': 'tableDAT', 'chop_values': 'textDAT', 'values': 'scriptCHOP',
    'info_callbacks': 'textDAT', 'info': 'scriptCHOP', 'out_rows': 'outDAT', 'out_values': 'outCHOP',
    'out_info': 'outCHOP',
}
SYNCED = {'DataNet': ('python', 'DataNet.py'), 'datanet_runtime': ('python', 'datanet_runtime.py'),
          'DataNetExt': ('tox', 'DataNetExt.py'),
          'frame_hook': ('python', 'frame_hook.py'), 'parexec': ('tox', 'parexec.py'),
          'table_sink': ('python', 'table_sink.py'), 'chop_values': ('python', 'chop_values.py'),
          'info_callbacks': ('tox', 'info_chop.py')}


UNCHECKED_PARS = {   # names from Derivative's docs (Select DAT, Rectangle TOP); the fake accepts them untyped
    'basic_subscribe': [('/project1/messages', 'dat')],
    'sensor_dashboard': [('/project1/bar', 'fillcolorb'), ('/project1/bar', 'fillcolorr'), ('/project1/bar', 'sizex')],
    'publish_from_chop': [],
}


def spec():
    with open(os.path.join(tox_kit.TOX_SOURCE, 'datanet_parameters.json'), encoding='utf-8') as f:
        return json.load(f)


class BuildTest(unittest.TestCase):

    def build_kept(self, **options):
        fake = tox_kit.new_fake(self)
        options.setdefault('python_dir', kit.PY_SDK)
        options.setdefault('out', os.path.join(fake.project.folder, 'DataNet.tox'))
        path, comp = tox_kit.builder()['build'](keep=True, **options)
        self.assertEqual(fake.callbackErrors, [])
        self.assertEqual(fake.threadViolations, [])
        self.assertEqual(fake.unknownPars, [], 'parameters set on operator types the fake cannot check')
        return fake, path, comp

    def test_operators_types_and_wiring(self):
        fake, path, comp = self.build_kept()
        self.assertEqual(comp.name, 'DataNet')
        self.assertEqual(type(comp).__name__, 'baseCOMP')
        self.assertEqual({c.name: type(c).__name__ for c in comp.children}, TYPES)
        for src, dst in (('rows', 'out_rows'), ('values', 'out_values'), ('info', 'out_info')):
            self.assertIs(comp.op(dst).inputs[0], comp.op(src))
        self.assertIs(comp.op('values').par.callbacks.eval(), comp.op('chop_values'))
        self.assertIs(comp.op('info').par.callbacks.eval(), comp.op('info_callbacks'))
        self.assertEqual(comp.op('rows').numRows, 1)
        self.assertEqual([c.val for c in comp.op('rows').row(0)], ['channel', 'from', 'timestamp', 'contentType', 'data'])
        hook = comp.op('frame_hook').par
        self.assertEqual((hook.create.eval(), hook.start.eval(), hook.exit.eval(), hook.framestart.eval()),
                         (True, True, True, True))
        pe = comp.op('parexec').par
        self.assertIs(pe.op.eval(), comp)
        self.assertFalse(pe.builtin.eval())
        self.assertTrue(pe.onpulse.eval() and pe.valuechange.eval())
        for name in ('Channels', 'Apikey', 'Server', 'Keysource', 'Connect', 'Reset', 'Clear', 'Publish'):
            self.assertIn(name, pe.pars.eval().split())
        self.assertNotIn('Msgsin', pe.pars.eval().split())
        self.assertEqual(comp.par.parentshortcut.eval(), 'DataNet')
        self.assertTrue(os.path.isfile(path))

    def test_parameters_pages_defaults_ranges_read_only(self):
        fake, path, comp = self.build_kept()
        self.assertEqual([p.name for p in comp.customPages], PAGES)
        expected = spec()
        self.assertEqual(list(expected), PAGES)
        for page, pars in expected.items():
            self.assertEqual([g[0].name for g in comp.customPages[PAGES.index(page)].parGroups], list(pars))
            for name, attrs in pars.items():
                self.assertRegex(name, r'^[A-Z][a-z0-9]*$')
                p = getattr(comp.par, name)
                self.assertEqual(p.style, attrs['style'], name)
                self.assertEqual(bool(p.readOnly), bool(attrs.get('readOnly')), name)
                if 'default' in attrs:
                    self.assertEqual(p.default, attrs['default'], name)
                if 'menuNames' in attrs:
                    self.assertEqual(list(p.menuNames), attrs['menuNames'], name)
                for key in ('min', 'max', 'clampMin', 'clampMax'):
                    if key in attrs:
                        self.assertEqual(getattr(p, key), attrs[key], (name, key))
        p = comp.par
        self.assertTrue(p.Apikey.password)
        self.assertIn('saves parameter values inside the .toe/.tox', p.Apikey.help)
        self.assertEqual(p.Keysource.menuNames, ['env', 'file', 'parameter'])
        self.assertIn('saved in the .toe/.tox', p.Keysource.menuLabels[2])
        self.assertEqual((p.Active.eval(), p.Autoconnect.eval()), (True, True))
        self.assertEqual((p.Apiurl.eval(), p.Wsurl.eval()), ('https://api.datanet.art', 'wss://ws.datanet.art'))
        self.assertEqual(p.Server.menuNames, ['cloud', 'local', 'custom'])
        self.assertEqual(p.Devicename.eval(), 'ToxTest')   # the project name, without .toe
        self.assertEqual((p.Maxlines.eval(), p.Maxlines.min, p.Maxlines.max), (100, 0, 10000))
        self.assertEqual(p.Publishmode.menuNames, ['rate', 'change'])
        self.assertEqual((p.Publishrate.eval(), p.Publishrate.min, p.Publishrate.max), (10.0, 0.1, 120.0))
        for ro in ('Status', 'Connected', 'Msgsin', 'Msgsout', 'Queued', 'Dropped', 'Lasterror',
                   'Version', 'Build', 'Mintdbuild'):
            self.assertTrue(getattr(p, ro).readOnly, ro)
        self.assertEqual(p.Version.eval(), tox_kit.builder()['_version']())
        self.assertRegex(p.Build.eval(), r'^\d{4}-\d\d-\d\d')
        self.assertEqual(p.Mintdbuild.eval(), '2023.11000')
        self.assertEqual(p.Apikey.eval(), '')   # nothing secret is built in

    def test_saved_values_chop_has_its_parameters_even_if_setup_parameters_runs_late(self):
        """When a Setup Parameters pulse runs its callback is undocumented: with the fake deferring it past
        pulse(), the saved .tox must still give `values` its Loader/Channels/Prefix parameters."""
        path = tox_kit.build_tox(self, defer_setup_parameters=True)
        fake = tox_kit.new_fake(self)
        values = fake.op('/project1').loadTox(path).op('values')
        for name in ('Loader', 'Channels', 'Prefix', 'Clear'):
            self.assertIsNotNone(getattr(values.par, name, None), name)
        self.assertTrue(values.par.Prefix.eval())

    def test_device_name_stays_the_same_across_numbered_saves(self):
        """project.name follows numbered saves (Show.7.toe): the device name must not drift with it."""
        fake, path, comp = self.build_kept()
        fake.project.save(os.path.join(fake.project.folder, 'Show.toe'))
        self.assertEqual(comp.par.Devicename.eval(), 'Show')
        fake.project.save(os.path.join(fake.project.folder, 'Show.7.toe'))
        self.assertEqual(fake.project.name, 'Show.7.toe')
        self.assertEqual(comp.par.Devicename.eval(), 'Show')

    def test_synced_files_and_text(self):
        fake, path, comp = self.build_kept()
        for name, (where, file) in SYNCED.items():
            src = os.path.join(kit.PY_SDK if where == 'python' else tox_kit.TOX_SOURCE, file)
            dat = comp.op(name)
            self.assertEqual(dat.par.file.eval(), src, name)
            self.assertTrue(dat.par.syncfile.eval(), name)
            with open(src, encoding='utf-8') as f:
                self.assertEqual(dat.text, f.read(), name)

    def test_release_build_embeds_text_without_file_links(self):
        fake, path, comp = self.build_kept(link_files=False)
        for name in SYNCED:
            self.assertEqual(comp.op(name).par.file.eval(), '', name)
            self.assertFalse(comp.op(name).par.syncfile.eval(), name)
        saved = serialize.load(path)
        loader = next(c for c in saved['children'] if c['name'] == 'DataNet')
        self.assertIn('dn = _init_module()', json.dumps(loader))

    def test_extension_promoted_after_load(self):
        path = tox_kit.build_tox(self)
        fake = tox_kit.new_fake(self)
        comp = fake.op('/project1').loadTox(path)
        self.assertEqual(comp.par.ext0object.eval(), "op('./DataNetExt').module.DataNetExt(me)")
        self.assertTrue(comp.par.ext0promote.eval())
        self.assertEqual(type(comp.ext.DataNetExt).__name__, 'DataNetExt')
        for member in ('Connect', 'Disconnect', 'Publish', 'Subscribe', 'Unsubscribe', 'LastValue'):
            self.assertTrue(callable(getattr(comp, member)), member)
        self.assertIsInstance(comp.Status, str)
        self.assertIsInstance(comp.Stats, dict)
        self.assertFalse(hasattr(comp, 'onDataNetFrame'))   # lower-case: not promoted

    def test_one_file_embeds_the_sdk_and_exports_it_to_a_versioned_cache(self):
        cache = kit.temp_dir(self)
        os.environ['DATANET_SDK_CACHE'] = cache
        self.addCleanup(os.environ.pop, 'DATANET_SDK_CACHE', None)
        fake, path, comp = self.build_kept(one_file=True, sdk_folder=kit.SDK_DIR)
        dlls = sorted(n for n in os.listdir(kit.SDK_DIR) if n.endswith('.dll'))
        self.assertEqual(sorted(f.name for f in comp.vfs.find('*.dll')), dlls)
        self.assertEqual([f.name for f in comp.vfs.find('sdk-id.txt')], ['sdk-id.txt'])
        self.assertEqual(comp.par.Sdkfolder.expr, "op('./DataNetExt').module.embedded_sdk_folder(me)")
        saved = serialize.load(path)
        self.assertTrue(saved['vfs'])
        folder = comp.par.Sdkfolder.eval()
        sdk_id = bytes(comp.vfs['sdk-id.txt'].byteArray).decode()
        self.assertEqual(folder, os.path.join(cache, sdk_id))
        self.assertRegex(sdk_id, r'^\d+\.\d+\.\d+-[0-9a-f]{16}$')
        self.assertEqual(sorted(n for n in os.listdir(folder) if n.endswith('.dll')), dlls)
        with open(os.path.join(folder, 'DataNet.Td.dll'), 'rb') as a, \
                open(os.path.join(kit.SDK_DIR, 'DataNet.Td.dll'), 'rb') as b:
            self.assertEqual(a.read(), b.read())

    def test_one_file_without_an_sdk_folder_says_what_is_missing(self):
        fake = tox_kit.new_fake(self)
        with self.assertRaisesRegex(FileNotFoundError, 'DataNet.Td.dll'):
            tox_kit.builder()['build'](out=os.path.join(fake.project.folder, 'x.tox'), python_dir=kit.PY_SDK,
                                       one_file=True, sdk_folder=fake.project.folder)
        self.assertIsNone(fake.op('/datanet_build'))   # the scratch COMP is gone

    def test_key_source_picks_exactly_one_place(self):
        fake, path, comp = self.build_kept()
        creds = os.path.join(kit.temp_dir(self), 'credentials')
        with open(creds, 'w', encoding='utf-8') as f:
            f.write('[default]\napi_key = ak_from_file\n')
        saved = {k: os.environ.get(k) for k in ('DATANET_API_KEY', 'DATANET_CREDENTIALS')}
        self.addCleanup(lambda: [os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
                                 for k, v in saved.items()])
        os.environ['DATANET_API_KEY'] = 'ak_from_env'
        os.environ['DATANET_CREDENTIALS'] = creds
        comp.par.Apikey = 'ak_from_par'
        loader = comp.op('DataNet').module
        for source, key, label in (('env', 'ak_from_env', 'DATANET_API_KEY'),
                                   ('file', 'ak_from_file', 'credentials file'),
                                   ('parameter', 'ak_from_par', 'Apikey parameter')):
            comp.par.Keysource = source
            settings = loader._resolve_settings({}, {})
            self.assertEqual(settings['api_key'], key, source)
            self.assertTrue(settings['key_source'].startswith(label), settings['key_source'])
        os.environ.pop('DATANET_API_KEY')
        comp.par.Keysource = 'env'
        self.assertIsNone(loader._resolve_settings({}, {})['api_key'])   # not the parameter, not the file
        with self.assertRaisesRegex(Exception, r'No DataNet API key \(Key Source: env\)'):
            loader.dn.Connect()

    def test_server_menu_fills_in_the_urls_and_help_prints_the_guide(self):
        path = tox_kit.build_tox(self)
        fake = tox_kit.new_fake(self)
        comp = fake.op('/project1').loadTox(path)
        comp.par.Active = False
        fake.frame(1)
        comp.par.Server = 'local'
        fake.frame(1)
        self.assertEqual((comp.par.Apiurl.eval(), comp.par.Wsurl.eval()), ('http://127.0.0.1:8080', 'ws://127.0.0.1:8080'))
        self.assertTrue(comp.par.Apiurl.enableExpr)
        comp.par.Server = 'cloud'
        fake.frame(1)
        self.assertEqual((comp.par.Apiurl.eval(), comp.par.Wsurl.eval()), ('https://api.datanet.art', 'wss://ws.datanet.art'))
        comp.par.Server = 'custom'
        comp.par.Apiurl = 'http://10.0.0.5:9000'
        fake.frame(1)
        self.assertEqual(comp.par.Apiurl.eval(), 'http://10.0.0.5:9000')
        with kit.captured() as out:
            comp.par.Help.pulse()
            fake.frame(1)
        guide = os.path.join(comp.op('DataNet').module.dn.SdkFolder, 'docs', 'touchdesigner.md')
        self.assertTrue(os.path.isfile(guide), 'the SDK folder ships the guide')
        self.assertIn('the guide is ' + guide, out.getvalue())
        self.assertEqual(fake.ui.viewed, [guide])

    def test_examples_build_and_open(self):
        for name, extra in (('basic_subscribe', ('messages',)),
                            ('sensor_dashboard', ('sensor', 'sensor_t', 'sensor_h', 'values', 'bar')),
                            ('publish_from_chop', ('lfo',))):
            with self.subTest(example=name):
                folder = kit.temp_dir(self)
                toe = tox_kit.build_example(self, name, folder=folder)
                self.assertEqual(toe, os.path.join(folder, name + '.toe'))
                # set on operator types the fake only names: exactly these (a typo would show here)
                self.assertEqual(tox_kit.build_example.unknown_pars, UNCHECKED_PARS[name])
                fake = TDFakeProject.open(toe)
                self.addCleanup(tox_kit.teardown, fake)
                fake.install()
                dn = fake.op('/project1/DataNet')
                self.assertIsNotNone(dn)
                self.assertEqual((dn.par.Server.eval(), dn.par.Apiurl.eval(), dn.par.Wsurl.eval()),
                                 ('local', 'http://127.0.0.1:8080', 'ws://127.0.0.1:8080'))
                self.assertEqual(dn.par.Keysource.eval(), 'env')
                for op_name in extra + ('readme',):
                    self.assertIsNotNone(fake.op('/project1/' + op_name), op_name)
                self.assertEqual(fake.callbackErrors, [])
        self.assertEqual(dn.par.Publishchop.eval(), fake.op('/project1/lfo'))
        self.assertEqual((dn.par.Publishchannel.eval(), dn.par.Publishrate.eval(), dn.par.Publishactive.eval()),
                         ('demo/lfo', 10.0, True))

    def test_examples_share_the_building_code(self):
        for name in ('basic_subscribe', 'sensor_dashboard', 'publish_from_chop'):
            with open(os.path.join(tox_kit.EXAMPLES, name + '.py'), encoding='utf-8') as f:
                text = f.read()
            self.assertIn('example_common.build_example(', text)
            self.assertNotIn('loadTox', text)
            self.assertNotIn('project.save', text)


if __name__ == '__main__':
    unittest.main()
