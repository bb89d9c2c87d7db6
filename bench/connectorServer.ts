import { ConnectorStandIn } from '../test/support/connectorStandIn.js';

/**
 * The stand-in Bot Connector of the alert fan-out bench (bench/alerts.ts), in a process of its own that the bench runs
 * at a lower priority: the real connector is Microsoft's service on other machines, so on this 2-core machine its
 * HTTP server, its parsing of every card and its garbage should not take a core from the bot, whose event-loop blocks
 * are being measured. It answers the parent over IPC: first with its serviceUrl; to `wait` (a number of calls), with
 * the calls' times and conversations once that many came; to `stop`, by stopping and exiting.
 */

/** What the connector's process says over IPC. */
export type ConnectorServerMessage = { readonly serviceUrl: string } | { readonly calls: ReadonlyArray<{ readonly at: number; readonly conversationId: string }> };

/** What the parent asks. */
export type ConnectorServerCommand = { readonly cmd: 'wait'; readonly calls: number } | { readonly cmd: 'stop' };

const connector = new ConnectorStandIn();
await connector.start();
const say = (message: ConnectorServerMessage): void => void process.send!(message);
say({ serviceUrl: connector.serviceUrl });

process.on('message', (command: ConnectorServerCommand) => {
  void (async () => {
    if (command.cmd === 'wait') {
      await connector.waitForCalls(command.calls, 120_000);
      say({ calls: connector.calls.map(({ at, conversationId }) => ({ at, conversationId })) });
    } else {
      await connector.stop();
      process.exit(0);
    }
  })();
});
