import { benchFaq } from './faq.js';
import { benchStore } from './store.js';
import { benchTurns } from './turns.js';

/** `npm run bench`: store commit latency, FAQ matching time and turn throughput; numbers, never assertions. */
await benchStore();
await benchFaq();
await benchTurns();
