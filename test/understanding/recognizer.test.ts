import assert from 'node:assert/strict';
import { TOPIC_IDS } from '../../services/faq/index.js';
import { ACTION_LABELS, OUT_OF_SCOPE, SMALL_TALK_LABELS, detectLanguage, findEntities, normalize, type Language } from '../../understanding/index.js';
import { defaultRecognizer } from '../../understanding/defaultRecognizer.js';
import model from '../../understanding/model.json' with { type: 'json' };
import { labelledSet, routedLabel } from '../../scripts/evalSets.js';
import { LANGUAGES, baseExamples, corpusHash } from '../../scripts/understandingData.js';

const recognizer = defaultRecognizer();
const trained = new Set(baseExamples().map((e) => normalize(e.text)));
const heldOut = LANGUAGES.flatMap((l) => labelledSet('understanding', l).map((e) => normalize(e.text)));

/** The routed label of a text, through the committed model. */
const label = (text: string, locale: Language): string => routedLabel(text, locale, recognizer);

/** Phrases none of which the model was trained on (checked below), in each language. */
const CASES: ReadonlyArray<readonly [Language, string, string]> = [
  // A request and a question about the same thing are different labels.
  ['en', 'could you please link my certification profile for me', 'link'],
  ['en', 'how do people link an MCID to the company?', 'topic:link-learn'],
  ['en', 'please unlink my microsoft learn account from the company', 'unlink'],
  ['en', 'how does someone unlink an mcid?', 'topic:unlink'],
  ['en', 'how many associations do I still have this year?', 'status'],
  ['zh-CN', '请帮我把MCID关联一下', 'link'],
  ['zh-CN', '关联 MCID 要怎么操作？', 'topic:link-learn'],
  ['zh-CN', '请帮我取消关联MCID', 'unlink'],
  ['zh-CN', '取消关联 MCID 要怎么操作？', 'topic:unlink'],
  ['zh-CN', '我下次什么时候可以关联？', 'status'],
  ['fr', 'tu peux associer mon profil de certif ?', 'link'],
  ['fr', 'comment on fait pour associer un MCID ?', 'topic:link-learn'],
  ['fr', 'tu peux dissocier mon profil de certif ?', 'unlink'],
  ['fr', 'comment on fait pour dissocier un MCID ?', 'topic:unlink'],
  ['fr', 'il me reste combien d’associations cette année ?', 'status'],
  // Look-alikes that use the bot's words are out of scope.
  ['en', 'link my LinkedIn to Teams', OUT_OF_SCOPE],
  ['en', 'unlink my phone from Authenticator', OUT_OF_SCOPE],
  ['en', 'reset my password', OUT_OF_SCOPE],
  ['zh-CN', '把我的领英关联到 Teams', OUT_OF_SCOPE],
  ['zh-CN', '把我的手机从 Authenticator 上解除绑定', OUT_OF_SCOPE],
  ['zh-CN', '帮我重置一下密码', OUT_OF_SCOPE],
  ['fr', 'associer mon LinkedIn à Teams', OUT_OF_SCOPE],
  ['fr', 'dissocier mon téléphone de Authenticator', OUT_OF_SCOPE],
  ['fr', 'réinitialise mon mot de passe', OUT_OF_SCOPE],
];

describe('understanding: the recognizer over the committed model', () => {
  it('is trained on the data as it is now (run `npm run train` after changing the examples or the training code)', () => {
    assert.equal(model.dataHash, corpusHash(baseExamples()));
  });

  it('knows every action, every FAQ topic, small talk and out of scope', () => {
    for (const l of [...ACTION_LABELS, ...SMALL_TALK_LABELS, OUT_OF_SCOPE, ...TOPIC_IDS.map((t) => `topic:${t}`)]) {
      assert.ok(recognizer.labels.includes(l), l);
    }
  });

  it('is tested on phrases it was never trained on', () => {
    for (const [, text] of CASES) assert.ok(!trained.has(normalize(text)), `“${text}” is a training example`);
    for (const text of heldOut) assert.ok(!trained.has(text), `the held-out “${text}” is a training example`);
  });

  for (const [locale, text, expected] of CASES) {
    it(`reads “${text}” as ${expected}`, () => {
      // Asked with another language as the person's, to show the text's own language decides.
      assert.equal(label(text, locale === 'en' ? 'fr' : 'en'), expected);
    });
  }

  it('never confuses linking and unlinking (negation pairs)', () => {
    const pairs: ReadonlyArray<readonly [Language, string, string]> = [
      ['en', 'link my cert profile now', 'unlink my cert profile now'],
      ['zh-CN', '现在帮我关联认证', '现在帮我取消关联认证'],
      ['fr', 'associe mon compte de certification maintenant', 'dissocie mon compte de certification maintenant'],
    ];
    for (const [locale, link, unlink] of pairs) {
      assert.equal(label(link, locale), 'link', link);
      assert.equal(label(unlink, locale), 'unlink', unlink);
    }
  });

  it('reads a question with a greeting in front as the question', () => {
    assert.equal(label('bonjour, comment je trouve mon MCID ?', 'fr'), 'topic:find-mcid');
    assert.equal(label('您好，请问我的MCID在哪里能查到？', 'zh-CN'), 'topic:find-mcid');
    assert.equal(label('hello! where would I find my MCID?', 'en'), 'topic:find-mcid');
  });

  it('gives calibrated scores: the best labels, best first, adding up to at most 1', () => {
    const { top } = recognizer.recognize('how do I find my MCID', 'en');
    assert.ok(top.length >= 2);
    for (let i = 1; i < top.length; i++) assert.ok(top[i - 1]!.score >= top[i]!.score);
    assert.ok(top.reduce((sum, s) => sum + s.score, 0) <= 1 + 1e-9);
  });

  it('is deterministic: the same text reads the same every time', () => {
    const a = recognizer.recognize('I switched employers, what now with my certs?', 'en');
    const b = recognizer.recognize('I switched employers, what now with my certs?', 'en');
    assert.deepEqual(a, b);
  });

  it('bounds the work on a very long message', () => {
    const long = `${'blah '.repeat(20_000)} where is my MCID`;
    assert.ok(recognizer.recognize(long, 'en').top.length > 0);
  });
});

describe('understanding: entities and language', () => {
  it('finds an 8-digit MCID, the account kind, an e-mail address and a mentioned person', () => {
    assert.deepEqual(findEntities('please link my MCID 12345678'), { mcid: '12345678', accountKind: 'learn' });
    assert.deepEqual(findEntities('关联我的 Partner University 帐户 ana@contoso.com'), { accountKind: 'university', email: 'ana@contoso.com' });
    assert.deepEqual(findEntities('<at>Bot</at> grant partner admin <at>Ana Silva</at>', 'Bot'), { person: 'Ana Silva' });
    assert.equal(findEntities('call me at 0612345678').mcid, undefined, 'ten digits are no MCID');
    assert.equal(findEntities('the invoice 2026-01-15').mcid, undefined);
    assert.equal(findEntities('ＭＣＩＤ １２３４５６７８').mcid, '12345678', 'full-width digits typed with a Chinese IME');
  });

  it('detects the language of the text, falling back to the person’s when the text does not tell', () => {
    assert.equal(detectLanguage('où est mon MCID', 'en'), 'fr');
    assert.equal(detectLanguage('我的 MCID 在哪里', 'en'), 'zh-CN');
    assert.equal(detectLanguage('where is my MCID', 'fr'), 'en');
    assert.equal(detectLanguage('MCID', 'fr'), 'fr');
  });

  it('has one normalisation: case, accents, full width, punctuation and mentions', () => {
    assert.equal(normalize('  Où est-ce que   je TROUVE mon MCID ? '), 'ou est ce que je trouve mon mcid');
    assert.equal(normalize('<at>MCID Bot</at> Ａｉｄｅ！'), 'aide');
    assert.equal(normalize('怎么关联 MCID？'), '怎么关联 mcid');
  });
});
