/**
 * Understanding people: one normalisation, one label space (flows, admin and alert commands, FAQ topics, small talk,
 * out of scope) and a linear classifier trained offline by `npm run train`. Pure: no I/O when a message is matched.
 */
export { normalize, words } from './normalize.js';
export { featurize, hash32, FEATURE_VERSION, type Features } from './features.js';
export { findEntities, type Entities } from './entities.js';
export { detectLanguage, type Language } from './language.js';
export { ACTION_LABELS, SMALL_TALK_LABELS, OUT_OF_SCOPE, TOPIC_PREFIX, labelFamily } from './labels.js';
export { loadModel, softmax, MODEL_FORMAT, type ModelFile, type LoadedModel } from './model.js';
export { createRecognizer, recognizerOver, decide, type Recognizer, type Understanding, type Decision, type ScoredLabel } from './recognizer.js';
