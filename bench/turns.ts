import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compiledModule, nodeOptions } from './compiled.js';
import { postgresSkipped, withBenchSchema } from './postgresBench.js';
import type { WindowStats } from './turnServer.js';

/** How long the bench runs: `--quick` halves the windows and skips the 100,000-people store. */
export interface TurnBenchOptions {
  readonly quick: boolean;
  /** Only these turns (`--turns=faq,help,link step`); default all. */
  readonly kinds?: readonly string[];
  /** Only these store sizes (`--people=0,100000`); default 0, 10,000 and 100,000 (quick: 0 and 10,000). */
  readonly people?: readonly number[];
}

/** A running server process (the echo shape or this bot) and its address. */
interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

type TurnKind = 'help' | 'faq' | 'link step';

const FAQ_QUESTION = 'why is my exam missing from the skills report';

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

function request(child: ChildProcess, cmd: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message as Record<string, unknown>));
    child.send({ cmd });
  });
}

/** Starts a server process: bench/turnServer.ts compiled, run by plain node as `npm start` runs the bot. */
async function startServer(kind: 'echo' | 'bot' | 'pgbot', people: number, extra: { schema: string; url: string } | undefined = undefined): Promise<Server> {
  const turnServer = await compiledModule('turnServer');
  let dataDir: string | undefined;
  if (kind === 'bot' && people > 0) {
    // Written by a process of its own: the bot's RSS is then what a bot restarted on a store of that size holds.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-bench-turns-'));
    const writer = fork(turnServer, ['prefill', String(people), dataDir], {
      execArgv: ['--disable-warning=DEP0111'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const code = await new Promise((resolve) => writer.once('exit', resolve));
    if (code !== 0) throw new Error(`pre-filling the state of ${people} people failed (${String(code)})`);
  }
  const child = fork(turnServer, [kind, String(people), ...(extra ? [extra.schema] : dataDir ? [dataDir] : [])], {
    execArgv: [...(await nodeOptions(kind === 'echo' ? 'echo' : 'bot')), '--expose-gc'],
    env: { ...process.env, ...(extra ? { BENCH_DATABASE_URL: extra.url } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${String(ready.port)}/api/messages` };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.send({ cmd: 'stop' });
  await exited;
}

function activity(kind: TurnKind, user: number, i: number): string {
  const text = kind === 'help' ? 'help' : kind === 'faq' ? FAQ_QUESTION : i % 2 === 0 ? 'link' : 'cancel';
  return JSON.stringify({
    type: 'message', id: `b-${user}-${i}`, text, locale: 'en-US', deliveryMode: 'expectReplies', channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `a:bench-${user}`, conversationType: 'personal', tenantId: 'bench-tenant' },
    from: { id: `29:bench-${user}`, aadObjectId: `00000000-0000-4000-8000-${String(user).padStart(12, '0')}` },
    recipient: { id: '28:bot' }, channelData: { tenant: { id: 'bench-tenant' } },
  });
}

/**
 * Ends the link flows the warm-up left waiting (its link steps alternate "link" and "cancel", so a person may stop
 * at a prompt): otherwise the first people's help and FAQ turns would be questions asked at a flow's prompt, which
 * carry the dialog stack and a state write, not the one-shot turns they stand for.
 */
async function settle(server: Server, users: number): Promise<void> {
  for (let user = 0; user < users; user++) {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: activity('link step', user, 1_000_001) });
    await response.arrayBuffer();
  }
}

/** What one measurement window saw. */
interface Window {
  readonly turns: number;
  readonly seconds: number;
  readonly latencies: number[];
  readonly stats: WindowStats;
}

async function measure(to: Server | readonly Server[], kind: TurnKind, users: number, seconds: number): Promise<Window> {
  // Several instances behind one address: person `user` talks to instance `user % n`, as a sticky load balancer would not guarantee.
  const servers = Array.isArray(to) ? (to as readonly Server[]) : [to as Server];
  await Promise.all(servers.map((server) => request(server.child, 'reset')));
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const sent = performance.now();
        const response = await fetch(servers[(user + i) % servers.length]!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: activity(kind, user, i) });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${kind} turn answered ${response.status}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const all = (await Promise.all(servers.map((server) => request(server.child, 'stats')))) as unknown as WindowStats[];
  const stats: WindowStats = {
    cpuMs: all.reduce((sum, x) => sum + x.cpuMs, 0),
    gcMs: all.reduce((sum, x) => sum + x.gcMs, 0),
    maxBlockMs: Math.max(...all.map((x) => x.maxBlockMs)),
    maxBlockCpuMs: Math.max(...all.map((x) => x.maxBlockCpuMs)),
    rssMb: Math.max(...all.map((x) => x.rssMb)),
    heapMb: Math.max(...all.map((x) => x.heapMb)),
  };
  return { turns: latencies.length, seconds: elapsed, latencies, stats };
}

/** Sums windows of the same server. */
function combine(windows: readonly Window[]): { perSecond: number; p50: number; p99: number; cpuPerTurn: number; gcPerTurn: number; maxBlockMs: number; maxBlockCpuMs: number; rssMb: number; heapMb: number } {
  const turns = windows.reduce((sum, w) => sum + w.turns, 0);
  const seconds = windows.reduce((sum, w) => sum + w.seconds, 0);
  const latencies = windows.flatMap((w) => w.latencies).sort((a, b) => a - b);
  return {
    perSecond: turns / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuPerTurn: windows.reduce((sum, w) => sum + w.stats.cpuMs, 0) / turns,
    gcPerTurn: windows.reduce((sum, w) => sum + w.stats.gcMs, 0) / turns,
    maxBlockMs: Math.max(...windows.map((w) => w.stats.maxBlockMs)),
    maxBlockCpuMs: Math.max(...windows.map((w) => w.stats.maxBlockCpuMs)),
    rssMb: Math.max(...windows.map((w) => w.stats.rssMb)),
    heapMb: Math.max(...windows.map((w) => w.stats.heapMb)),
  };
}

/**
 * Turns over real HTTP (expectReplies, so no connector is involved), this bot against the echo-bot shape, each in its
 * own process, measured alternately (echo, bot, echo, bot) so that load from elsewhere on the machine hits both alike.
 */
export async function benchTurns(options: TurnBenchOptions): Promise<void> {
  // Many windows, alternating, so that load from elsewhere on the machine falls on both servers alike; 4 of 0.5 s
  // left the ratios swinging by ±0.2 between runs on this shared machine (about 4 minutes for all turns and stores).
  const window = options.quick ? 0.4 : 1;
  const rounds = options.quick ? 2 : 6;
  const stores = options.people ?? (options.quick ? [0, 10_000] : [0, 10_000, 100_000]);
  const kinds = (['help', 'faq', 'link step'] as const).filter((kind) => !options.kinds || options.kinds.includes(kind));
  console.log(`\nTurns over HTTP: this bot (file store) against the echo-bot shape, alternately, ${rounds} windows of ${window} s each`);
  console.log('people stored | turn | users | echo t/s | bot t/s | ratio | echo p50/p99 ms | bot p50/p99 ms | p99 ratio | CPU ms/turn echo/bot | GC ms/turn echo/bot | max block ms echo/bot wall (bot CPU) | RSS MB echo/bot | heap MB echo/bot');
  const echo = await startServer('echo', 0);
  try {
    for (const people of stores) {
      const preparing = performance.now();
      const bot = await startServer('bot', people);
      const prepareSeconds = (performance.now() - preparing) / 1000;
      if (people > 0) console.log(`  (pre-filled and started with ${people.toLocaleString('en')} people in ${prepareSeconds.toFixed(1)} s)`);
      try {
        // Warm both (JIT, the FAQ index, first reads) before measuring.
        await measure(echo, 'faq', 8, 0.3);
        for (const kind of ['help', 'faq', 'link step'] as const) await measure(bot, kind, 8, 0.3);
        await settle(bot, 8);
        for (const kind of kinds) {
          for (const users of [1, 32]) {
            const echoWindows: Window[] = [];
            const botWindows: Window[] = [];
            for (let round = 0; round < rounds; round++) {
              echoWindows.push(await measure(echo, kind, users, window));
              botWindows.push(await measure(bot, kind, users, window));
            }
            const e = combine(echoWindows);
            const b = combine(botWindows);
            console.log(
              [
                people.toLocaleString('en').padStart(13),
                kind.padEnd(9),
                String(users).padStart(5),
                e.perSecond.toFixed(0).padStart(8),
                b.perSecond.toFixed(0).padStart(7),
                (b.perSecond / e.perSecond).toFixed(2).padStart(5),
                `${e.p50.toFixed(1)}/${e.p99.toFixed(1)}`.padStart(15),
                `${b.p50.toFixed(1)}/${b.p99.toFixed(1)}`.padStart(14),
                (b.p99 / e.p99).toFixed(2).padStart(9),
                `${e.cpuPerTurn.toFixed(2)}/${b.cpuPerTurn.toFixed(2)}`.padStart(20),
                `${e.gcPerTurn.toFixed(2)}/${b.gcPerTurn.toFixed(2)}`.padStart(19),
                `${e.maxBlockMs.toFixed(0)}/${b.maxBlockMs.toFixed(0)} (${b.maxBlockCpuMs.toFixed(0)})`.padStart(36),
                `${e.rssMb.toFixed(0)}/${b.rssMb.toFixed(0)}`.padStart(15),
                `${e.heapMb.toFixed(0)}/${b.heapMb.toFixed(0)}`.padStart(16),
              ].join(' | '),
            );
          }
        }
      } finally {
        await stopServer(bot);
      }
    }
  } finally {
    await stopServer(echo);
  }
}

/**
 * Turns per second with one and with two bot instances on one PostgreSQL database (each person's turns alternate
 * between the instances when there are two), FAQ turns and link-flow steps (which write dialog state) at 32 people,
 * measured alternately. On this 2-core machine the instances, the database and the load generator share the cores:
 * the figure says what a second instance costs or gains here, not on separate machines.
 */
export async function benchTwoInstances(options: TurnBenchOptions): Promise<void> {
  const window = options.quick ? 0.4 : 1;
  const rounds = options.quick ? 2 : 6;
  const ran = await withBenchSchema(2, async (_pool, _newPool, schema, url) => {
    console.log(`\nTurns over HTTP on PostgreSQL: one bot instance against two on the same database, alternately, ${rounds} windows of ${window} s each, 32 people`);
    console.log('turn      | 1 instance t/s | 2 instances t/s | ratio | 1 inst p50/p99 ms | 2 inst p50/p99 ms | CPU ms/turn 1/2');
    const first = await startServer('pgbot', 0, { schema, url });
    const second = await startServer('pgbot', 0, { schema, url });
    try {
      for (const kind of ['faq', 'link step'] as const) {
        await measure([first, second], kind, 8, 0.3);
        const one: Window[] = [];
        const two: Window[] = [];
        for (let round = 0; round < rounds; round++) {
          one.push(await measure(first, kind, 32, window));
          two.push(await measure([first, second], kind, 32, window));
        }
        const a = combine(one);
        const b = combine(two);
        console.log(
          [
            kind.padEnd(9),
            a.perSecond.toFixed(0).padStart(14),
            b.perSecond.toFixed(0).padStart(15),
            (b.perSecond / a.perSecond).toFixed(2).padStart(5),
            `${a.p50.toFixed(1)}/${a.p99.toFixed(1)}`.padStart(17),
            `${b.p50.toFixed(1)}/${b.p99.toFixed(1)}`.padStart(17),
            `${a.cpuPerTurn.toFixed(2)}/${b.cpuPerTurn.toFixed(2)}`.padStart(15),
          ].join(' | '),
        );
      }
    } finally {
      await Promise.all([stopServer(first), stopServer(second)]);
    }
    return true;
  });
  if (!ran) console.log(postgresSkipped('\nTurns with two instances against one'));
}
