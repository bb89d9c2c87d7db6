/** Sends a message proactively into a person's personal chat with the bot. */
export interface ProactiveSender {
  /** Sends `activity` to the conversation of `reference`; false when the bot can no longer reach it. */
  send(reference: Readonly<Record<string, unknown>>, activity: Readonly<Record<string, unknown>>): Promise<boolean>;
}
