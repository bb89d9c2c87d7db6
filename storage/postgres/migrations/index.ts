import { sql as records } from './001_records.js';
import { sql as botState } from './002_bot_state.js';
import { sql as linkReminderDueDay } from './003_link_reminder_due_day.js';

/** One schema change; its version orders it and records that it was applied. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Every migration, in the order they apply. The SQL lives in TypeScript modules (one per version, named after it)
 * so that the compiled `dist/` carries it: tsc copies no .sql files. Never edit an applied one: add the next.
 */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'records', sql: records },
  { version: 2, name: 'bot state', sql: botState },
  { version: 3, name: 'link reminder due day', sql: linkReminderDueDay },
];
