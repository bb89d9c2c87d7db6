import assert from 'node:assert/strict';
import { CONVERSATION_WINDOWS, SlidingWindowLimiter, TENANT_WINDOWS } from '../../../services/outbox/throttle.js';

/** The largest number of times inside any window of `ms` (half-open). */
function maxInWindow(times: number[], ms: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe('SlidingWindowLimiter', () => {
  const conversation = (id: string) => ({ key: `c:${id}`, windows: CONVERSATION_WINDOWS });
  const tenant = { key: 't:contoso', windows: TENANT_WINDOWS };

  it('lets 7 sends into one conversation in a second, and the 8th only when the first leaves the window', () => {
    const limiter = new SlidingWindowLimiter();
    for (let i = 0; i < 7; i++) assert.equal(limiter.tryAcquire([conversation('a')], 1000 + i), 0);
    const wait = limiter.tryAcquire([conversation('a')], 1010);
    assert.equal(wait, 1000 - 10);
    assert.equal(limiter.tryAcquire([conversation('a')], 1999), 1);
    assert.equal(limiter.tryAcquire([conversation('a')], 2000), 0);
  });

  it('never exceeds 7/s or 60/30 s per conversation when sending as fast as allowed for two minutes', () => {
    const limiter = new SlidingWindowLimiter();
    const sent: number[] = [];
    for (let now = 0; now < 120_000; now += 10) if (limiter.tryAcquire([conversation('a')], now) === 0) sent.push(now);
    assert.ok(maxInWindow(sent, 1_000) <= 7);
    assert.ok(maxInWindow(sent, 30_000) <= 60);
    assert.equal(sent.length, 240, 'the 60/30 s window binds: 4 windows of 60');
  });

  it('caps a tenant at 50 requests per second over many conversations', () => {
    const limiter = new SlidingWindowLimiter();
    const sent: number[] = [];
    for (let now = 0; now < 5_000; now += 5) {
      for (let c = 0; c < 20; c++) if (limiter.tryAcquire([conversation(String(c)), tenant], now) === 0) sent.push(now);
    }
    assert.ok(maxInWindow(sent, 1_000) <= 50, `max ${maxInWindow(sent, 1_000)}`);
    assert.ok(sent.length >= 240, `only ${sent.length}`);
  });

  it('takes no token from any key when one of them refuses', () => {
    const limiter = new SlidingWindowLimiter();
    for (let i = 0; i < 7; i++) limiter.tryAcquire([conversation('a'), tenant], i);
    assert.ok(limiter.tryAcquire([conversation('a'), tenant], 10) > 0);
    // The tenant still has 43 of its 50: the refused call took none.
    for (let i = 0; i < 43; i++) assert.equal(limiter.tryAcquire([conversation(`b${i % 6}-${Math.floor(i / 6)}`), tenant], 20), 0);
    assert.ok(limiter.tryAcquire([conversation('z'), tenant], 20) > 0);
  });

  it('adds the margin to every window', () => {
    const limiter = new SlidingWindowLimiter(50);
    for (let i = 0; i < 7; i++) limiter.tryAcquire([conversation('a')], 0);
    assert.equal(limiter.tryAcquire([conversation('a')], 1000), 50);
    assert.equal(limiter.tryAcquire([conversation('a')], 1050), 0);
  });

  it('holds a key blocked by a Retry-After until then', () => {
    const limiter = new SlidingWindowLimiter();
    limiter.block('c:a', 5_000);
    assert.equal(limiter.tryAcquire([conversation('a')], 1_000), 4_000);
    assert.equal(limiter.tryAcquire([conversation('b')], 1_000), 0);
    assert.equal(limiter.tryAcquire([conversation('a')], 5_000), 0);
  });

  it('counts a pending send as happening until it is settled, then at the moment its answer came', () => {
    const limiter = new SlidingWindowLimiter();
    // 7 sends taken at 0, still on their way: the 8th waits, however much time passes, until they settle.
    for (let i = 0; i < 7; i++) assert.equal(limiter.tryAcquire([conversation('a')], 0, { pending: true }), 0);
    assert.ok(limiter.tryAcquire([conversation('a')], 5_000) > 0, 'a window full of pending sends is full');
    // Their answers came at 300 ms: they count from then, so the next send may go one window later, not earlier.
    for (let i = 0; i < 7; i++) limiter.settle([conversation('a')], 300);
    assert.equal(limiter.tryAcquire([conversation('a')], 1_299), 1);
    assert.equal(limiter.tryAcquire([conversation('a')], 1_300), 0);
  });

  it('keeps the record ordered when sends settle out of order', () => {
    const limiter = new SlidingWindowLimiter();
    for (let i = 0; i < 7; i++) limiter.tryAcquire([conversation('a')], i, { pending: true });
    for (const at of [900, 100, 500, 200, 800, 300, 700]) limiter.settle([conversation('a')], at);
    // The oldest of the 7 in the window is the one settled at 100: the 8th may go at 1,100.
    assert.equal(limiter.tryAcquire([conversation('a')], 1_099), 1);
    assert.equal(limiter.tryAcquire([conversation('a')], 1_100), 0);
  });
});
