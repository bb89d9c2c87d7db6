/**
 * Botbuilder's conversation and user state, one row per storage key. `doc` is json, not jsonb: nothing queries
 * inside it, json keeps the text exactly as written (jsonb refuses a "\u0000" a person may have typed), and it
 * costs no conversion. `etag` changes on every write (drawn from a sequence, so two instances never give the same
 * one) and is what optimistic concurrency compares.
 */
export const sql = `
CREATE SEQUENCE bot_state_etag;
CREATE TABLE bot_state (
  key text COLLATE "C" PRIMARY KEY,
  doc json NOT NULL,
  etag bigint NOT NULL DEFAULT nextval('bot_state_etag'),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE bot_state_etag OWNED BY bot_state.etag;
`;
