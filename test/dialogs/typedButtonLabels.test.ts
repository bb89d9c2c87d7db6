import assert from 'node:assert/strict';
import type { AdminCommand } from '../../dialogs/recognizers/adminCommand.js';
import { accountKindNamed, yesNo } from '../../dialogs/recognizers/answerWords.js';
import { normalize } from '../../understanding/index.js';
import { recognizeText, routeText } from '../../dialogs/recognizers/intents.js';
import { isStepAnswer } from '../../dialogs/interruptibleDialog.js';
import { LOCALES } from '../../locales/locale.js';
import { resources } from '../../locales/resources.js';
import type { AccountKind } from '../../rules/index.js';

// People often type a button's label instead of pressing it (or the client shows no buttons): every label of the
// link flow's cards, and of the admin menu, must read as that button when typed, in every language.
describe('button labels typed as text', () => {
  for (const locale of LOCALES) {
    describe(locale, () => {
      const employee = resources[locale].employee;
      const admin = resources[locale].admin;

      /** What the flow's prompts see: typed text the waiting step reads as its answer before anything else. */
      const typedAnswer = (label: string): string => {
        assert.ok(isStepAnswer(label), `“${label}” (normalized “${normalize(label)}”) is not read as an answer of the step`);
        return label;
      };

      const kinds: ReadonlyArray<[AccountKind, string]> = [
        ['learn', employee.accountTitle.learn],
        ['university', employee.accountTitle.university],
      ];
      for (const [kind, label] of kinds) {
        it(`reads the account kind button “${label}” as ${kind}`, () => {
          assert.equal(accountKindNamed(typedAnswer(label)), kind, `normalized: “${normalize(label)}”`);
        });
      }

      const confirms: ReadonlyArray<[boolean, string]> = [
        [true, employee.confirmAccount.yes],
        [false, employee.confirmAccount.change.learn],
        [false, employee.confirmAccount.change.university],
        [true, employee.move.confirm],
      ];
      for (const [answer, label] of confirms) {
        it(`reads the confirmation button “${label}” as ${answer ? 'yes' : 'no'}`, () => {
          assert.equal(yesNo(typedAnswer(label)), answer, `normalized: “${normalize(label)}”`);
        });
      }

      it(`reads the cancel button “${employee.flow.cancel}” as cancel`, () => {
        assert.equal(routeText(employee.flow.cancel, locale).kind, 'cancel');
      });

      const common = resources[locale].common;
      const menu: ReadonlyArray<[string, string]> = [
        [common.menu.link, 'link'],
        [common.menu.unlink, 'unlink'],
        [common.menu.status, 'status'],
        [common.menu.faq, 'faq'],
        [common.menu.language, 'choose-language'],
        [common.menu.back, 'help'],
        ...Object.entries(common.command).map(([name, typed]): [string, string] => [typed, name === 'language' ? 'choose-language' : name]),
      ];
      for (const [label, kind] of menu) {
        it(`reads the menu button “${label}” as ${kind}`, () => {
          assert.equal(routeText(label, locale).kind, kind);
        });
      }

      const views = Object.entries(admin.menu.views) as Array<[AdminCommand['name'], string]>;
      for (const [view, label] of views) {
        it(`reads the admin menu button “${label}” as ${view}`, () => {
          const intent = recognizeText(label);
          assert.equal(intent.kind === 'admin' ? intent.command.name : intent.kind, view);
        });
      }
    });
  }
});
