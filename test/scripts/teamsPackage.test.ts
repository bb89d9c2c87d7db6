import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { ConfigError, loadPackageConfig, type PackageConfig } from '../../bot/config.js';
import { routeText, type Intent } from '../../dialogs/recognizers/intents.js';
import type { Locale } from '../../locales/locale.js';
import { ACCENT_COLOR, makeIcons } from '../../scripts/makeIcons.js';
import {
  APP_PACKAGE_DIR,
  buildAppPackage,
  bundledSchema,
  fillManifest,
  iconProblems,
  localizationFiles,
  readAppPackageSources,
  validateAgainstBundledSchema,
} from '../../scripts/teamsPackage.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APP_ID = '0b5e3a8c-4f3e-4d1a-9c7b-2a6f1e0d9c31';
const env = { MicrosoftAppId: APP_ID, PUBLIC_BASE_URL: 'https://bot.contoso.com/' };

type Command = { title: string; description?: string };
type CommandList = { scopes: string[]; commands: Command[] };

/** What a command title does when someone sends it, in a form that compares across languages. */
function meaning(title: string, locale: Locale = 'en'): string {
  const intent: Intent = routeText(title, locale);
  if (intent.kind === 'admin') return `admin:${intent.command.name}`;
  if (intent.kind === 'alerts') return `alerts:${intent.command.name}`;
  return intent.kind;
}

describe('Teams app package', () => {
  let config: PackageConfig;
  before(() => {
    config = loadPackageConfig(env);
  });

  it('zips a manifest that validates against its bundled schema, with the bot id, the valid domain, both icons and both languages', async () => {
    const built = await buildAppPackage(config, '1.2.3');
    const zip = await JSZip.loadAsync(built.zip);
    assert.deepEqual(Object.keys(zip.files).sort(), ['color.png', 'fr.json', 'manifest.json', 'outline.png', 'zh-CN.json']);

    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, unknown> & {
      bots: Array<{ botId: string; scopes: string[]; commandLists: CommandList[] }>;
    };
    assert.deepEqual(await validateAgainstBundledSchema(manifest), []);
    assert.equal(manifest.id, APP_ID);
    assert.equal(manifest.bots[0]!.botId, APP_ID);
    assert.equal(manifest.version, '1.2.3');
    assert.deepEqual(manifest.validDomains, ['bot.contoso.com']);
    assert.deepEqual(manifest.bots[0]!.scopes.sort(), ['groupChat', 'personal', 'team']);
    assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);

    for (const [name, size] of [['color.png', 192], ['outline.png', 32]] as const) {
      const png = PNG.sync.read(await zip.file(name)!.async('nodebuffer'));
      assert.deepEqual([png.width, png.height], [size, size], name);
    }
    const outline = PNG.sync.read(await zip.file('outline.png')!.async('nodebuffer'));
    assert.equal(outline.data[3], 0, 'the outline icon has a transparent background');

    assert.deepEqual(localizationFiles(manifest).map((l) => l.file).sort(), ['fr.json', 'zh-CN.json']);
    for (const { file } of localizationFiles(manifest)) {
      const localization = JSON.parse(await zip.file(file)!.async('string')) as Record<string, unknown>;
      assert.deepEqual(await validateAgainstBundledSchema(localization), [], file);
    }
  });

  it('uses a manifest schema of version 1.19 or newer that is bundled for offline validation', () => {
    const { template } = readAppPackageSources();
    const [major, minor] = String(template.manifestVersion).split('.').map(Number);
    assert.ok(major! > 1 || minor! >= 19, `manifest version ${String(template.manifestVersion)}`);
    assert.equal(bundledSchema(template.$schema).$schema !== undefined, true);
    assert.throws(() => bundledSchema('https://developer.microsoft.com/json-schemas/teams/v9.99/MicrosoftTeams.schema.json'), /not bundled/);
  });

  it('has a command list for each scope, and every localized command title does in Teams what the English one does', () => {
    const { template, localizations } = readAppPackageSources();
    const lists = (template.bots as Array<{ commandLists: CommandList[] }>)[0]!.commandLists;
    assert.deepEqual(lists.map((l) => l.scopes), [['personal'], ['team'], ['groupChat']]);
    assert.deepEqual(
      lists[0]!.commands.map((c) => meaning(c.title)),
      ['help', 'link', 'unlink', 'status', 'faq', 'choose-language', 'admin:menu', 'admin:status', 'admin:report', 'alerts:on'],
    );
    // Channels and group chats get no employee flow: those run in a personal chat only.
    for (const list of lists.slice(1)) {
      assert.ok(!list.commands.some((c) => ['link', 'unlink', 'status'].includes(meaning(c.title))));
      assert.ok(list.commands.map((c) => meaning(c.title)).includes('alerts:off'));
    }
    for (const [file, localization] of localizations) {
      lists.forEach((list, i) =>
        list.commands.forEach((command, j) => {
          const title = localization[`bots[0].commandLists[${i}].commands[${j}].title`];
          assert.equal(typeof title, 'string', `${file}: title of ${command.title}`);
          assert.equal(meaning(title as string, file === 'fr.json' ? 'fr' : 'zh-CN'), meaning(command.title), `${file}: "${String(title)}" for "${command.title}"`);
          assert.equal(typeof localization[`bots[0].commandLists[${i}].commands[${j}].description`], 'string', `${file}: description of ${command.title}`);
        }),
      );
    }
  });

  it('reports schema violations instead of zipping a bad manifest', async () => {
    const { template, localizations } = readAppPackageSources();
    const bad = fillManifest(template, { MicrosoftAppId: 'not-a-guid', version: '1.0.0', publicHost: 'x.example', developerName: 'x', websiteUrl: 'https://x.example', privacyUrl: 'https://x.example', termsOfUseUrl: 'https://x.example' });
    assert.ok((await validateAgainstBundledSchema(bad)).some((p) => p.startsWith('/id ')));
    const fr = { ...localizations.get('fr.json')!, 'name.short': 'x'.repeat(31) };
    assert.ok((await validateAgainstBundledSchema(fr)).some((p) => p.includes('name.short')));
    assert.throws(() => fillManifest({ id: '${{nothing}}' }, {}), /no value for \$\{\{nothing\}\}/);
  });

  it('commits the icons that scripts/makeIcons.ts draws', async () => {
    const drawn = makeIcons();
    for (const name of ['color.png', 'outline.png'] as const) {
      const committed = PNG.sync.read(await readFile(path.join(APP_PACKAGE_DIR, name)));
      assert.ok(PNG.sync.read(drawn[name === 'color.png' ? 'color' : 'outline']).data.equals(committed.data), name);
      assert.deepEqual(iconProblems(name, await readFile(path.join(APP_PACKAGE_DIR, name))), []);
    }
    assert.equal(readAppPackageSources().template.accentColor, ACCENT_COLOR, 'the manifest’s accent colour is the icon’s background');
    assert.match(iconProblems('color.png', await readFile(path.join(APP_PACKAGE_DIR, 'outline.png')))[0]!, /32×32, Teams needs 192×192/);
  });

  it('needs MicrosoftAppId as a GUID and an https PUBLIC_BASE_URL, and no secret', () => {
    assert.equal(config.appId, APP_ID);
    assert.equal(config.publicBaseUrl, 'https://bot.contoso.com');
    assert.equal(config.developer.privacyUrl, 'https://bot.contoso.com');
    const problems = (e: Record<string, string>): readonly string[] => {
      try {
        loadPackageConfig(e);
        return [];
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.problems;
      }
    };
    assert.match(problems({}).join('\n'), /MicrosoftAppId: is required[\s\S]*PUBLIC_BASE_URL: is required/);
    assert.match(problems({ ...env, MicrosoftAppId: 'bot-1' }).join('\n'), /MicrosoftAppId: must be .* GUID/);
    assert.match(problems({ ...env, PUBLIC_BASE_URL: 'http://bot.contoso.com' }).join('\n'), /PUBLIC_BASE_URL: must be an https URL/);
  });

  describe('npm run package', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'mcid-package-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    const run = (extraEnv: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        // Run from an empty directory so that no .env of the developer's leaks in.
        const child = execFile(process.execPath, ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, path.join(root, 'scripts/package.ts'), ...args], {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '', ...extraEnv },
        }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
        child.stdin?.end();
      });

    it('refuses without MicrosoftAppId, saying which variable is missing', async () => {
      const result = await run({ PUBLIC_BASE_URL: 'https://bot.contoso.com' }, []);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Cannot build the Teams app package[\s\S]*MicrosoftAppId: is required/);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    });

    it('writes the zip and prints its path as the last line', async () => {
      const out = path.join(dir, 'app.zip');
      const result = await run(env, ['--out', out]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim().split('\n').at(-1), out);
      const zip = await JSZip.loadAsync(await readFile(out));
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as { id: string };
      assert.equal(manifest.id, APP_ID);
    });
  });
});

