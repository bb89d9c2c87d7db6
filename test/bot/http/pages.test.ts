import assert from 'node:assert/strict';
import type http from 'node:http';
import { browserLocale, html, htmlPage, paragraphs, readCookie } from '../../../bot/http/pages.js';

const request = (headers: http.IncomingHttpHeaders) => ({ headers }) as http.IncomingMessage;

describe('sign-in pages', () => {
  describe('html tag', () => {
    it('escapes every interpolated text, in content and in attributes', () => {
      const name = `<script>alert("x")</script> & 'co'`;
      assert.equal(html`<p title="${name}">${name}</p>`.markup, '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>');
    });

    it('keeps markup made by the tag as it is, a list one item per line, and undefined as nothing', () => {
      const items = ['a<b', 'c'].map((text) => html`<li>${text}</li>`);
      assert.equal(html`<ul>${items}</ul>${undefined}`.markup, '<ul><li>a&lt;b</li>\n<li>c</li></ul>');
    });

    it('writes a page whose title, language and paragraphs are escaped', () => {
      const page = htmlPage('fr', 'Titre <b>', paragraphs(['un & deux']));
      assert.ok(page.includes('<html lang="fr">'));
      assert.ok(page.includes('<title>Titre &lt;b&gt;</title>'));
      assert.ok(page.includes('<p>un &amp; deux</p>'));
    });
  });

  describe('browser language', () => {
    for (const [header, expected] of [
      ['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
      ['en;q=0.2, zh-CN;q=0.9, fr;q=0.5', 'zh-CN'],
      ['de-DE, fr;q=0, en;q=0.1', 'en'],
      ['de, *;q=0.5', undefined],
      ['zh-TW, zh;q=0.5', 'zh-CN'],
      ['', undefined],
    ] as const) {
      it(`reads "${header}" as ${expected ?? 'none of ours'}`, () => {
        assert.equal(browserLocale(request({ 'accept-language': header })), expected);
      });
    }

    it('has no language without the header', () => {
      assert.equal(browserLocale(request({})), undefined);
    });
  });

  describe('cookies', () => {
    it('reads one cookie among several, and nothing when it is absent', () => {
      assert.equal(readCookie(request({ cookie: 'a=1; __Host-mcid_signin=abc.def.ghi; b=2' }), '__Host-mcid_signin'), 'abc.def.ghi');
      assert.equal(readCookie(request({ cookie: 'a=1' }), 'mcid_signin'), undefined);
      assert.equal(readCookie(request({}), 'mcid_signin'), undefined);
    });
  });
});
