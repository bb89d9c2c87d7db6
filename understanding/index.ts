/**
 * Understanding people: one normalisation, one label space (flows, admin and alert commands, FAQ topics, small talk,
 * out of scope) and a linear classifier trained offline by `npm run train`. Pure: no I/O when a message is matched.
 */
export { normalize } from './normalize.js';
export { findEntities } from './entities.js';
export { detectLanguage, type Language } from './language.js';
export { ACTION_LABELS, SMALL_TALK_LABELS, OUT_OF_SCOPE, TOPIC_PREFIX, labelFamily } from './labels.js';
export { loadModel, type ModelFile, type LoadedModel } from './model.js';
export { createRecognizer, recognizerOver, type Recognizer, type Understanding } from './recognizer.js';
