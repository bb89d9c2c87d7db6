import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { maxInWindow } from '../test/support/faultyConnector.js';
import type { AlertServerReport } from './alertServer.js';
import { compiledModule, nodeOptions } from './compiled.js';
import type { ConnectorServerCommand, ConnectorServerMessage } from './connectorServer.js';

/** Teams' limit per app and tenant, requests per second. */
const TENANT_RATE = 50;

/**
 * A tenant's sustained rate: the sends after its first second's burst (which a sliding window lets through at once)
 * over the time they took, from its first send to its last. A dispatcher that keeps the window full gets 50/s whatever
 * the number of rows; the plain "sends over the whole span" counts the free first burst and the organizations' start
 * times instead.
 */
function sustainedRate(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  if (sorted.length <= TENANT_RATE) return Number.NaN;
  return (sorted.length - TENANT_RATE) / Math.max((sorted.at(-1)! - sorted[0]!) / 1000, 0.001);
}

/** The nice value of the stand-in connector's process: below the bot's, as a service on machines of its own. */
const CONNECTOR_NICE = 10;

/** The stand-in connector's process (bench/connectorServer.ts): its serviceUrl, and how to ask it. */
interface Connector {
  readonly serviceUrl: string;
  ask(command: ConnectorServerCommand): Promise<ConnectorServerMessage>;
}

/** Starts the stand-in connector in a process of its own at a lower priority than the bot's. */
async function startConnector(): Promise<Connector> {
  const child = fork(await compiledModule('connectorServer'), [], { execArgv: await nodeOptions('echo'), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (): Promise<ConnectorServerMessage> =>
    new Promise((resolve, reject) => {
      child.once('message', (message) => resolve(message as ConnectorServerMessage));
      child.once('exit', (code) => reject(new Error(`the alert bench's connector exited with ${String(code)}`)));
    });
  const started = next();
  // Its main thread, which serves every request (Linux renices that thread alone).
  os.setPriority(child.pid!, CONNECTOR_NICE);
  const first = await started;
  if (!('serviceUrl' in first)) throw new Error("the alert bench's connector did not say where it listens");
  return {
    serviceUrl: first.serviceUrl,
    ask(command) {
      const answer = command.cmd === 'stop' ? new Promise<ConnectorServerMessage>((resolve) => child.once('exit', () => resolve({ calls: [] }))) : next();
      child.send(command);
      return answer;
    },
  };
}

/** Starts the bot's process of the bench (bench/alertServer.ts) and resolves once it is seeded and sending. */
async function startBot(tenants: number, channels: number, serviceUrl: string): Promise<ChildProcess> {
  const child = fork(await compiledModule('alertServer'), [String(tenants), String(channels), serviceUrl], {
    execArgv: [...(await nodeOptions('bot')), '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the alert bench's bot exited with ${String(code)}`)));
  });
  return child;
}

/** Sends a command to the bot's process and resolves with its answer. */
function ask(child: ChildProcess, cmd: 'raise' | 'idle'): Promise<AlertServerReport> {
  const answer = new Promise<AlertServerReport>((resolve) => child.once('message', (message) => resolve(message as AlertServerReport)));
  child.send({ cmd });
  return answer;
}

/**
 * Fan-out of one competency alert to 1,000 subscribed channels over real HTTP to a stand-in Bot Connector on
 * loopback, on the file store: in one organization (bound by Teams' 50 requests/s per app and tenant) and spread over
 * ten organizations whose alerts are raised at once (each with its own 50/s). The bot runs compiled, in a process of
 * its own with `npm start`'s node options; the connector in another, at a lower priority (bench/connectorServer.ts).
 * Reports the achieved rate against the allowed one, and the bot's longest event-loop block; numbers, never assertions.
 * `BENCH_TENANTS=1,10` picks the cases, `BENCH_CHANNELS` the channels per case, `BENCH_SERVER_NODE_OPTIONS` adds node
 * options to the bot (`--cpu-prof`).
 */
export async function benchAlerts(): Promise<void> {
  const channels = Number(process.env.BENCH_CHANNELS ?? 1_000);
  console.log(`\nAlert fan-out to ${channels.toLocaleString('en')} channels (file store, the bot compiled in its own process, stand-in connector on loopback)`);
  console.log('sends/s: all sends over the whole span; sustained: per organization, the sends after its first second over the time they took (lowest organization, and the sum)');
  console.log("tenants | channels | enqueue ms | delivery s | sends/s | % of allowed | sustained/s, lowest / sum | % of allowed | max in any 1 s per tenant | allowed/s | bot's longest block ms, enqueue / delivery (wall, CPU) | longest GC ms | bot RSS MB | load avg");
  // BENCH_TENANTS and BENCH_CHANNELS are the bench's own knobs, not the app's configuration.
  for (const tenants of (process.env.BENCH_TENANTS ?? '1,10').split(',').map(Number)) {
    const connector = await startConnector();
    const bot = await startBot(tenants, channels, connector.serviceUrl);
    const ids = Array.from({ length: tenants }, (_, i) => `bench-tenant-${i}`);
    const enqueue = await ask(bot, 'raise');
    const answer = await connector.ask({ cmd: 'wait', calls: channels });
    const calls = 'calls' in answer ? answer.calls : [];
    const delivery = await ask(bot, 'idle');
    const seconds = delivery.ms / 1000;
    const blocks = delivery.blocks;
    const enqueueBlocks = enqueue.blocks;
    const enqueueMs = enqueue.ms;
    const times = calls.map((c) => c.at);
    const perTenantMax = Math.max(
      ...ids.map((tenantId) => maxInWindow(calls.filter((c) => c.conversationId.startsWith(`19:${tenantId}-`)).map((c) => c.at), 1_000)),
    );
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    const rate = calls.length / Math.max(span, 0.001);
    const sustained = ids.map((tenantId) => sustainedRate(calls.filter((c) => c.conversationId.startsWith(`19:${tenantId}-`)).map((c) => c.at)));
    const lowest = Math.min(...sustained);
    const sum = sustained.reduce((a, b) => a + b, 0);
    const allowed = TENANT_RATE * tenants;
    console.log(
      `${String(tenants).padStart(7)} | ${String(calls.length).padStart(8)} | ${enqueueMs.toFixed(0).padStart(10)} | ${seconds.toFixed(1).padStart(10)} | ${rate.toFixed(1).padStart(7)} | ${((100 * rate) / allowed).toFixed(0).padStart(11)}% | ${`${lowest.toFixed(1)} / ${sum.toFixed(1)}`.padStart(24)} | ${`${((100 * lowest) / TENANT_RATE).toFixed(0)}% / ${((100 * sum) / allowed).toFixed(0)}%`.padStart(12)} | ${String(perTenantMax).padStart(25)} | ${String(allowed).padStart(9)} | ${`${enqueueBlocks.wallMs.toFixed(0)}, ${enqueueBlocks.cpuMs.toFixed(0)} / ${blocks.wallMs.toFixed(0)}, ${blocks.cpuMs.toFixed(0)}`.padStart(54)} | ${`${blocks.gcMs.toFixed(0)} (${blocks.gcKind})`.padStart(13)} | ${delivery.rssMb.toFixed(0).padStart(10)} | ${os.loadavg()[0]!.toFixed(2)}`,
    );
    bot.send({ cmd: 'stop' });
    await new Promise((resolve) => bot.once('exit', resolve));
    await connector.ask({ cmd: 'stop' });
  }
}
