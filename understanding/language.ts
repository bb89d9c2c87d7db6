import { normalize } from './normalize.js';

/** The languages the recognizer knows; the same list as locales/locale.ts (kept here so this module imports nothing). */
export type Language = 'en' | 'zh-CN' | 'fr';

// Words frequent in one language and rare in the other; words both share (product names, "message", "a") are left out.
const EN = new Set(
  ('the is are was how do does did i my me to what why where when who which can could of for with in not have has get got ' +
    'it we you your an should would will this that there from and or still no never any they their be been link linked ' +
    'linking unlink account company left leave quit moved report skills remove show find long many much days time year ' +
    'same email choose admin user users help contact need see says error happen if into at by up dont doesnt cant isnt ' +
    'please pls thanks thank hi hello hey want like my let lets go ok yes yeah stop switch language menu status ' +
    'accounts admins after anyone before employer everyone first happens its job onto our pick removed said say showing ' +
    'shows someone them whom wont yearly').split(' '),
);
const FR = new Set(
  ('le la les des du de un une est je j mon ma mes pour comment pourquoi quoi ou qui que quel quelle quels quelles avec dans ' +
    'sur pas ne n ai puis peut peux faut votre vos notre nos nous vous il elle c l d qu et mais sont au aux ce cette ces ' +
    'combien quand faire dois doit toujours plus lier compte comptes entreprise societe employeur quitte rapport supprimer ' +
    'retirer dissocier associer apparait jours temps an annee meme adresse choisir utilisateur tout tous aide contacter ' +
    'besoin trouver voir examen acces obtenir lien encore jamais rien personne leur se te moi toi fois erreur boite boulot ' +
    'bonjour salut merci stp svp oui non veux voudrais aimerais statut etat langue annuler arrete laisse tomber tu ton ta ' +
    'administrateur apres avant competence competences examens leurs lie liee me monde qualifications sais savoir suis ' +
    'utilisateurs y').split(' '),
);
const ACCENTS = /[éèêëàâçùûôîïÿ]/giu;
const HAN = /\p{Script=Han}/gu;

/**
 * The language a message is written in: Chinese when it holds Han characters (Chinese messages often carry English
 * product names), French or English by their frequent words and accents, and the person's own language when the
 * text does not tell.
 */
export function detectLanguage(text: string, personLanguage: Language): Language {
  const sample = text.slice(0, 600);
  const han = (sample.match(HAN) ?? []).length;
  const ws = normalize(sample).match(/[a-z]+/g) ?? [];
  if (han >= 2 || (han === 1 && ws.length <= 2)) return 'zh-CN';
  let en = 0;
  let fr = 0;
  for (const w of ws) {
    if (EN.has(w)) en++;
    if (FR.has(w)) fr++;
  }
  fr += Math.min(2, (sample.match(ACCENTS) ?? []).length) * 0.75;
  if (/\b(?:[ldjnsct]|qu)['’]\p{L}/iu.test(sample)) fr += 1;
  if (Math.abs(en - fr) < 1) return personLanguage;
  return en > fr ? 'en' : 'fr';
}
