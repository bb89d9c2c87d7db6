import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The longest event-loop blocks seen while running: wall time, and CPU time (which load from other processes does not inflate). */
export interface Blocks {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Starts measuring the longest time the event loop could not run a timer: `monitorEventLoopDelay` gives the wall time,
 * which includes time the OS gave the CPU to other processes (this machine is shared); the CPU time the process used
 * between two ticks tells a real block from being descheduled.
 */
export function blockMeter(): { stop(): Blocks; reset(): void; dispose(): void } {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let maxCpu = 0;
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
      last = process.cpuUsage();
    },
    stop() {
      const blocks = { wallMs: delay.max / 1e6, cpuMs: maxCpu };
      return blocks;
    },
    dispose() {
      clearInterval(timer);
      delay.disable();
    },
  };
}
