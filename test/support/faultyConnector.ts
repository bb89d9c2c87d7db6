import { ConnectorStandIn, type ConnectorCall, type FaultPlan } from './connectorStandIn.js';

/** Every request the stand-in answered, faulted ones included (for rate checks), with the status it got. */
export interface Attempt {
  readonly call: ConnectorCall;
  readonly status: number;
}

/** A deterministic pseudo-random source (mulberry32), so a flaky connector fails the same way on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stand-in connector that records every attempt (the stand-in itself records only successful ones). */
export class RecordingConnector extends ConnectorStandIn {
  readonly attempts: Attempt[] = [];
  private plan: FaultPlan = () => undefined;

  constructor() {
    super((call) => {
      const fault = this.plan(call);
      this.attempts.push({ call, status: fault?.status ?? 200 });
      return fault;
    });
  }

  /** Replaces the fault plan; every attempt is still recorded. */
  failWith(plan: FaultPlan): void {
    this.plan = plan;
  }
}

/** The alert id an activity's card carries in its Acknowledge or status button, if it is an alert card. */
export function alertIdOfActivity(activity: Record<string, unknown>): string | undefined {
  const json = JSON.stringify(activity.attachments ?? []);
  return /"action":"alert\.ack","alert":"([0-9a-f]{32})"/.exec(json)?.[1];
}

/** The largest number of timestamps inside any window of `ms` milliseconds. */
export function maxInWindow(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}
