import type { ChatConfig } from '../bot/config.js';

/** Where `npm run chat` sends messages, and why there: said out loud, so nobody chats with the wrong process. */
export interface ChatTarget {
  readonly url: string;
  /** How the address was chosen, for the first line the chat prints. */
  readonly source: 'url' | 'port' | 'default';
}

/** The bot's messaging endpoint: `--url` when given, else the configured port (PORT, as `npm start` reads it), else port 3978 on loopback. */
export function chatTarget(url: string | undefined, config: ChatConfig): ChatTarget {
  if (url) return { url, source: 'url' };
  if (config.port !== undefined) return { url: `http://127.0.0.1:${config.port}/api/messages`, source: 'port' };
  return { url: 'http://127.0.0.1:3978/api/messages', source: 'default' };
}

/** The sentence that says whom the chat talks to. */
export function describeChatTarget(target: ChatTarget): string {
  switch (target.source) {
    case 'url':
      return `Talking to the bot at ${target.url} (--url).`;
    case 'port':
      return `Talking to the bot at ${target.url} (from PORT; use --url for another address).`;
    case 'default':
      return `Talking to the bot at ${target.url} (the default port: set PORT or --url if your bot listens elsewhere).`;
  }
}

/** Whether admin CLI arguments only ask for the usage (nothing to open: it works while the bot holds the ledger). */
export function asksOnlyForHelp(argv: readonly string[]): boolean {
  return argv.length === 0 || argv.includes('--help') || argv.includes('-h');
}
