/**
 * A terminal chat with a running bot, for local development: `npm run chat -- --locale fr-FR`.
 * It posts Bot Framework activities to /api/messages with the `expectReplies` delivery mode, prints the
 * replies (Adaptive Cards as text with numbered buttons) and lets you press a button by typing its number.
 * It also listens on loopback as the conversation's Bot Connector (the activity's serviceUrl), so what the
 * bot sends later on its own (the sign-in outcome, alerts, reminders) shows up here too.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { loadChatConfig } from '../bot/config.js';
import { chatTarget, describeChatTarget } from './chatTarget.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    locale: { type: 'string', default: 'en-US' },
    user: { type: 'string', default: 'local-user' },
    name: { type: 'string', default: 'Local User' },
    timezone: { type: 'string', default: Intl.DateTimeFormat().resolvedOptions().timeZone },
  },
});

const target = chatTarget(args.url, loadChatConfig(process.env));

type Button = { title: string; data?: unknown; url?: string };
let buttons: Button[] = [];
const conversationId = `chat-${randomUUID()}`;

/** Prints a card's readable content and collects its buttons. */
function printCard(node: unknown, depth = 0): void {
  if (Array.isArray(node)) return node.forEach((n) => printCard(n, depth));
  if (!node || typeof node !== 'object') return;
  const element = node as Record<string, unknown>;
  switch (element.type) {
    case 'TextBlock':
      console.log(`${'  '.repeat(depth)}${String(element.text)}`);
      return;
    case 'FactSet':
      for (const fact of (element.facts as Array<{ title: string; value: string }>) ?? []) console.log(`${'  '.repeat(depth)}${fact.title}: ${fact.value}`);
      return;
    case 'Action.Submit':
    case 'Action.OpenUrl':
      buttons.push({ title: String(element.title), data: element.data, url: element.url as string | undefined });
      console.log(`${'  '.repeat(depth)}[${buttons.length}] ${String(element.title)}${element.url ? `  → ${String(element.url)}` : ''}`);
      return;
  }
  // A clickable container shows as its button alone; its text is the button's title.
  if (element.selectAction) return printCard(element.selectAction, depth);
  for (const key of ['body', 'items', 'columns', 'actions']) if (key in element) printCard(element[key], depth);
}

type Activity = { text?: string; attachments?: Array<{ content?: unknown }> };

/** Prints activities and makes their buttons the ones a number presses. */
function show(activities: readonly Activity[]): void {
  buttons = [];
  for (const activity of activities) {
    if (activity.text) console.log(activity.text);
    for (const attachment of activity.attachments ?? []) printCard(attachment.content);
    console.log('');
  }
}

/** The local stand-in for the Bot Connector: prints what the bot posts or updates proactively. */
const connector = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let activity: Activity = {};
    try {
      activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Activity;
    } catch {
      // Not JSON: nothing to show.
    }
    console.log(req.method === 'PUT' ? '\n(a card was updated)' : '\n(from the bot)');
    show([activity]);
    process.stdout.write('> ');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: randomUUID() }));
  });
});
await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;

async function send(fields: Record<string, unknown>): Promise<void> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message', id: randomUUID(), channelId: 'emulator', serviceUrl,
      deliveryMode: 'expectReplies', locale: args.locale, localTimezone: args.timezone, timestamp: new Date().toISOString(),
      conversation: { id: conversationId }, from: { id: args.user, name: args.name }, recipient: { id: 'bot' }, ...fields,
    }),
  });
  if (!response.ok) {
    console.log(`(the bot answered HTTP ${response.status}: ${await response.text()})`);
    return;
  }
  const body = (await response.json()) as { activities?: Activity[] };
  show(body.activities ?? []);
}

const rl = createInterface({ input: process.stdin, output: process.stdout });
// Taken before the first await, so lines piped in while the greeting is on its way are not lost.
const lines = rl[Symbol.asyncIterator]();
console.log(describeChatTarget(target));
try {
  // What answers there: the bot's health probe names its version; anything else is not this bot.
  const health = (await (await fetch(new URL('/healthz', target.url), { signal: AbortSignal.timeout(3000) })).json()) as { version?: unknown };
  console.log(typeof health.version === 'string' ? `It answers as the MCID Link Assistant ${health.version}.` : 'Something answers there, but not as the MCID Link Assistant.');
} catch {
  console.log('Nothing there answers as the MCID Link Assistant (no /healthz).');
}
console.log(`Chatting as ${args.user} (${args.locale}). Type a message, a button number, or Ctrl+D to leave.\n`);
try {
  await send({ type: 'conversationUpdate', membersAdded: [{ id: 'bot' }, { id: args.user }], text: undefined });
} catch (error) {
  console.log(`Cannot reach the bot at ${target.url}: is it running (npm start)? ${(error as Error).message}`);
  process.exit(1);
}
for (let next = await lines.next(); !next.done; next = await lines.next()) {
  const line = next.value;
  const number = Number(line.trim());
  const button = Number.isInteger(number) && number > 0 ? buttons[number - 1] : undefined;
  if (button?.url) console.log(`Open ${button.url} in a browser.\n`);
  else if (button) await send({ value: button.data });
  else if (line.trim()) await send({ text: line });
  process.stdout.write('> ');
}
rl.close();
connector.close();
