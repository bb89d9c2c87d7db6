import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Runs a writer fixture (`fixtures/<name>.ts`, printing "acked <id>" after each write resolves) and kills it with
 * SIGKILL once it has acknowledged `count` writes; resolves with the ids it acknowledged.
 */
export async function killAfterAcks(fixture: string, args: readonly string[], count = 300): Promise<string[]> {
  const script = fileURLToPath(new URL(`./fixtures/${fixture}.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const acked: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const match = /^acked (\S+)$/.exec(line);
    if (match?.[1]) acked.push(match[1]);
    if (acked.length >= count) {
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL');
  assert.ok(acked.length >= count, `the writer acknowledged only ${acked.length} writes before it stopped`);
  return acked;
}
