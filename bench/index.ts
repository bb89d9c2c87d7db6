import { benchAlerts } from './alerts.js';
import { benchFaq } from './faq.js';
import { benchImport } from './import.js';
import { benchStore } from './store.js';
import { benchTurns } from './turns.js';
import { benchUnderstanding } from './understanding.js';

/** `npm run bench`: store commit latency, FAQ matching time, understanding latency and model size, turn throughput, a 100,000-row import and the alert fan-out to 1,000 channels; numbers, never assertions. */
await benchStore();
await benchFaq();
await benchUnderstanding();
await benchTurns();
await benchImport();
await benchAlerts();
