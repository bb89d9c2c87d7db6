import assert from 'node:assert/strict';
import { recognizeAdminCommand } from '../../../dialogs/recognizers/adminCommand.js';
import { recognizeText, routeText } from '../../../dialogs/recognizers/intents.js';

describe('recognizing admin commands', () => {
  const cases: Array<[string, unknown]> = [
    ['admin', { name: 'menu' }],
    ['<at>MCID Link Assistant</at> Admin !', { name: 'menu' }],
    ['grant Global Admin <at>Ann Lee</at>', { name: 'grant', role: 'global-admin', target: { kind: 'mention' } }],
    ['accorder administrateur de compte <at>Ann</at>', { name: 'grant', role: 'account-admin', target: { kind: 'mention' } }],
    ['授予合作伙伴管理员 <at>王芳</at>', { name: 'grant', role: 'partner-admin', target: { kind: 'mention' } }],
    ['retirer le rôle <at>Ann</at>', { name: 'revoke', target: { kind: 'mention' } }],
    ['add user Ann.Lee@Contoso.com', { name: 'add-user', target: { kind: 'email', email: 'ann.lee@contoso.com' } }],
    ["ajouter l'utilisateur ann@contoso.com", { name: 'add-user', target: { kind: 'email', email: 'ann@contoso.com' } }],
    ['添加用户', { name: 'add-user', target: { kind: 'none' } }],
    ['删除账户 <at>Dan</at>', { name: 'delete-account', target: { kind: 'mention' } }],
    ['Utilisateurs non liés', { name: 'pending-users' }],
    ['État des compétences', { name: 'status' }],
    ['技能报告', { name: 'report' }],
    ["journal d'audit", { name: 'audit' }],
  ];
  for (const [text, expected] of cases) {
    it(`reads "${text}"`, () => {
      assert.deepEqual(recognizeAdminCommand(text), expected);
    });
  }

  it('leaves ordinary commands and questions alone', () => {
    for (const text of ['help', 'status', 'link my MCID', 'How do I add a user to Partner Center?', 'admin please delete everything']) {
      assert.equal(recognizeAdminCommand(text), undefined, text);
    }
    assert.equal(routeText('status', 'en').kind, 'status', 'the employee status is not the competency status');
    assert.equal(recognizeText('competency status').kind, 'admin');
  });

  it('does not count the bot\'s own mention as a target when told how many others were mentioned', () => {
    assert.deepEqual(recognizeAdminCommand('<at>Bot</at> add user', 0), { name: 'add-user', target: { kind: 'none' } });
  });
});
