import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { FlattenedSign } from 'jose';
import { DetachedSigner } from '../../services/signing.js';

/** The key DetachedSigner derives for a purpose, as services/signing.ts documents it. */
const keyFor = (secret: string, purpose: string): Uint8Array => createHmac('sha256', secret).update(`mcid-link-assistant/${purpose}`).digest();

describe('the detached signer', () => {
  const secret = 'detached-secret-0123456789abcdefghijklmnop';
  // Subjects of several lengths (every base64url remainder), with NUL separators, accents, Chinese and an emoji.
  const subjects = ['', 'a', 'ab', 'abc', 'a:1\u0000card\u0000why-link\u0000en', '19:général@thread.tacv2\u0000x\u0000find-mcid\u0000zh-CN 组织名称 🎓'];

  it('makes the same proof, byte for byte, as jose’s FlattenedSign with its key, and accepts it', async () => {
    const signer = new DetachedSigner(secret, 'faq-vote');
    for (const subject of subjects) {
      const expected = (await new FlattenedSign(new TextEncoder().encode(subject)).setProtectedHeader({ alg: 'HS256' }).sign(keyFor(secret, 'faq-vote'))).signature;
      const proof = await signer.prove(subject);
      assert.equal(proof, expected, JSON.stringify(subject));
      assert.equal(await signer.check(subject, proof), true);
    }
  });

  it('refuses a proof made for another subject, by another purpose’s key, or that is not a signature', async () => {
    const signer = new DetachedSigner(secret, 'faq-vote');
    const proof = await signer.prove('a:1');
    assert.equal(await signer.check('a:2', proof), false);
    assert.equal(await new DetachedSigner(secret, 'other').check('a:1', proof), false);
    assert.equal(await new DetachedSigner('another-secret-0123456789abcdefghijkl', 'faq-vote').check('a:1', proof), false);
    assert.equal(await signer.check('a:1', proof.slice(1)), false);
    assert.equal(await signer.check('a:1', `${proof.slice(0, -1)}!`), false);
    // Checked twice (the imported key is reused) with the same outcome.
    assert.equal(await signer.check('a:1', proof), true);
    assert.equal(await signer.check('a:1', proof), true);
  });
});
