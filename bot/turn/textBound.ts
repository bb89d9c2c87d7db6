import type { Middleware } from 'botbuilder';

/**
 * Longest message text any recognizer sees. Questions, commands and answers to prompts are far shorter; Teams lets
 * a message reach about 28 KB, and recognizers cost time with length, so the rest is never read.
 */
const MAX_TURN_TEXT_CHARS = 2_000;

/** The turn's entry: cuts the message text to MAX_TURN_TEXT_CHARS before any dialog or recognizer reads it. */
export function textBoundMiddleware(limit: number = MAX_TURN_TEXT_CHARS): Middleware {
  return {
    async onTurn(context, next) {
      const text = context.activity.text;
      if (typeof text === 'string' && text.length > limit) {
        // A cut between the two halves of a surrogate pair would leave half a character.
        const end = /[\uD800-\uDBFF]/.test(text[limit - 1]!) ? limit - 1 : limit;
        context.activity.text = text.slice(0, end);
      }
      await next();
    },
  };
}
