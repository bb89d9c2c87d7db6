import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench modules that run in processes of their own. */
const FORKED_MODULES = ['turnServer', 'import', 'alertServer', 'connectorServer'] as const;
type ForkedModule = (typeof FORKED_MODULES)[number];

const root = fileURLToPath(new URL('..', import.meta.url));
let building: Promise<string> | undefined;

/**
 * Compiles the forked bench modules and the code they import with the project's build settings (tsc, as `npm start`
 * builds the bot), into a fresh folder under dist/ (ignored by git; node_modules resolves from there as from the
 * source), removed when the bench exits. Type errors fail the build, with tsc's output.
 */
async function build(): Promise<string> {
  await mkdir(path.join(root, 'dist'), { recursive: true });
  const out = await mkdtemp(path.join(root, 'dist', 'bench-'));
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  const config = {
    extends: path.join(root, 'tsconfig.build.json'),
    compilerOptions: { rootDir: root, outDir: out, sourceMap: false },
    files: FORKED_MODULES.map((name) => path.join(root, 'bench', `${name}.ts`)),
    include: [],
  };
  await writeFile(path.join(out, 'tsconfig.json'), JSON.stringify(config));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [tsc, '-p', path.join(out, 'tsconfig.json')], (error, stdout, stderr) => {
      if (error) reject(new Error(`compiling the bench's server processes failed:\n${stdout}${stderr}`));
      else resolve();
    });
  });
  return out;
}

/**
 * The JavaScript file of a bench module that runs in a process of its own, to be run by plain node as production runs
 * the bot: under tsx the process would also hold tsx's loader, a worker thread with a V8 heap of its own (tens of MB of
 * RSS), and compile on the fly. Built once per bench run, on first use.
 */
export async function compiledModule(name: ForkedModule): Promise<string> {
  building ??= build();
  return path.join(await building, 'bench', `${name}.js`);
}


/**
 * The node options of a bench process: `npm start`'s (package.json's start script) for one that stands for the bot,
 * whose heap then grows as the running bot's does; node's defaults for the echo shape, as Microsoft's sample starts;
 * and for both, BENCH_SERVER_NODE_OPTIONS (`--cpu-prof --cpu-prof-dir=/tmp/prof` to profile, `--trace-gc`).
 */
export async function nodeOptions(of: 'bot' | 'echo'): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const start = of === 'bot' ? manifest.scripts.start.split(/\s+/).filter((word) => word.startsWith('--')) : ['--disable-warning=DEP0111'];
  return [...start, ...(process.env.BENCH_SERVER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [])];
}
