import { readFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/**
 * The longest event-loop blocks seen while running: wall time, and the CPU time of the main thread (what the bot's own
 * code and its garbage collection held the loop for; being descheduled by load from other processes is not counted).
 */
export interface Blocks {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** The longest garbage-collection pause among them, and its kind (scavenge: the young generation; mark-compact: all). */
  readonly gcMs: number;
  readonly gcKind: string;
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

/**
 * Where Linux keeps the main thread's time on a CPU (its first field, in nanoseconds): `schedstat` of the thread whose
 * id is the process's.
 */
const MAIN_THREAD_SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;

/**
 * CPU time of the event loop's thread in microseconds, where the system tells it (Linux); elsewhere the whole
 * process's, which also counts the garbage collector's helper threads and the thread pool, so blocks read longer.
 */
function mainThreadCpuMicros(): number {
  try {
    return Number(readFileSync(MAIN_THREAD_SCHEDSTAT, 'latin1').split(' ', 1)[0]) / 1000;
  } catch {
    const used = process.cpuUsage();
    return used.user + used.system;
  }
}

/**
 * Starts measuring the longest time the event loop could not run a timer: `monitorEventLoopDelay` gives the wall time,
 * which includes time the OS gave the CPU to other threads and processes (this machine is shared: two cores, the
 * bench's other processes and PostgreSQL on them too); the main thread's CPU time between two ticks tells a real block
 * from being descheduled.
 */
export function blockMeter(): { stop(): Blocks; reset(): void; dispose(): void } {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let maxCpu = 0;
  let longestGc: PerformanceEntry | undefined;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.duration > (longestGc?.duration ?? 0)) longestGc = entry;
  });
  gc.observe({ entryTypes: ['gc'] });
  let last = mainThreadCpuMicros();
  const timer = setInterval(() => {
    const now = mainThreadCpuMicros();
    maxCpu = Math.max(maxCpu, (now - last) / 1000);
    last = now;
  }, 5);
  timer.unref();
  return {
    reset() {
      delay.reset();
      maxCpu = 0;
      longestGc = undefined;
      last = mainThreadCpuMicros();
    },
    stop() {
      const kind = (longestGc as (PerformanceEntry & { detail?: { kind?: number } }) | undefined)?.detail?.kind;
      return { wallMs: delay.max / 1e6, cpuMs: maxCpu, gcMs: longestGc?.duration ?? 0, gcKind: kind === undefined ? 'none' : (GC_KINDS[kind] ?? String(kind)) };
    },
    dispose() {
      clearInterval(timer);
      delay.disable();
      gc.disconnect();
    },
  };
}
