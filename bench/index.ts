import { benchAlerts } from './alerts.js';
import { benchFaq } from './faq.js';
import { benchImport } from './import.js';
import { benchLedgerTurns } from './ledgerTurns.js';
import { benchPostgresStore } from './postgresStore.js';
import { benchStateStore, benchStore, printCommitsSideBySide } from './store.js';
import { benchTurns, benchTwoInstances } from './turns.js';
import { benchUnderstanding } from './understanding.js';

/**
 * `npm run bench [-- --quick] [-- --only=turns,import,…] [-- --turns=faq] [-- --people=0,100000]`: store commit latency, FAQ matching time, understanding latency and model size, turns against the
 * echo-bot shape, what a link, unlink and status cost with 100 or 100,000 people stored (`ledger`), a 100,000-row import and the alert fan-out to
 * 1,000 channels; numbers, never assertions.
 */
const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (name: string): boolean => !only || only.includes(name);

if (wanted('store')) printCommitsSideBySide(await benchStore({ quick }), await benchPostgresStore({ quick }));
if (wanted('state')) await benchStateStore({ quick });
if (wanted('faq')) await benchFaq();
if (wanted('understanding')) await benchUnderstanding();
const listed = (name: string): string[] | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3).split(',');
if (wanted('turns')) await benchTurns({ quick, kinds: listed('turns'), people: listed('people')?.map(Number) });
if (wanted('instances')) await benchTwoInstances({ quick });
if (wanted('ledger')) await benchLedgerTurns({ quick });
if (wanted('import')) await benchImport(quick ? 20_000 : 100_000);
if (wanted('alerts')) await benchAlerts();
