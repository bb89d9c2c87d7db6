import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** The longest event-loop blocks seen while running: wall time, and CPU time (which load from other processes does not inflate). */
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
 * Starts measuring the longest time the event loop could not run a timer: `monitorEventLoopDelay` gives the wall time,
 * which includes time the OS gave the CPU to other processes (this machine is shared); the CPU time the process used
 * between two ticks tells a real block from being descheduled.
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
  let last = process.cpuUsage();
  const timer = setInterval(() => {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    maxCpu = Math.max(maxCpu, (used.user + used.system) / 1000);
  }, 5);
  timer.unref();
  return {
    reset() {
      delay.reset();
      maxCpu = 0;
      longestGc = undefined;
      last = process.cpuUsage();
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
