import type { TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult, type PromptValidator } from 'botbuilder-dialogs';
import type { Intent } from './recognizers/intents.js';
import { turnIntent } from './turnIntent.js';

/** Reads a step's answer from the turn's intent (a button of the step's card, or typed words); undefined: not an answer. */
export type AnswerRecognizer<T> = (intent: Intent | undefined, options: PromptOptions) => T | undefined;

/**
 * A prompt answered by an Adaptive Card's buttons or by typing. The question (a card) and the retry (a line of text
 * in the person's language) arrive in the prompt options; what the expected answer is, e.g. the card's nonce, in
 * `options.validations`, so that everything the prompt needs lives in the dialog state and survives a restart.
 */
export class CardAnswerPrompt<T> extends Prompt<T> {
  constructor(
    dialogId: string,
    private readonly recognizeAnswer: AnswerRecognizer<T>,
    validator?: PromptValidator<T>,
  ) {
    super(dialogId, validator);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const activity = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    if (activity) await context.sendActivity(activity);
  }

  protected async onRecognize(context: TurnContext, _state: object, options: PromptOptions): Promise<PromptRecognizerResult<T>> {
    const value = this.recognizeAnswer(turnIntent(context), options);
    return value === undefined ? { succeeded: false } : { succeeded: true, value };
  }
}
