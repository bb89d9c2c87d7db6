import type { FaqLocale } from './topics.js';
import { countHan, fold } from './normalize.js';

// Words that are frequent in one language and rare in the other; words both languages share
// ("a", "on", "message", "certification", product names) are left out on purpose.
const EN_WORDS = new Set(
  ('the is are was how do does did i my me to what why where when who whom which can could of for with in ' +
    'not have has get got it its our we you your an should would will this that there after before from and ' +
    'or still no never any someone anyone they their them be been link linked linking unlink account accounts company ' +
    'employer left leave quit moved job report skills remove removed show shows showing find long many much days ' +
    'time year yearly same email pick choose admin admins user users everyone help contact need first get see ' +
    'says say said error why happens happen if into onto at by up do dont doesnt cant isnt wont').split(' '),
);
const FR_WORDS = new Set(
  ('le la les des du de un une est je j mon ma mes pour comment pourquoi quoi ou qui que quel quelle quels ' +
    'quelles avec dans sur pas ne n ai puis peut peux faut votre vos notre nos nous vous il elle c l d qu et mais ' +
    'sont au aux ce cette ces combien quand faire dois doit toujours plus lier lie liee compte comptes entreprise ' +
    'societe employeur quitte rapport supprimer retirer dissocier apparait jours temps an annee meme adresse ' +
    'choisir administrateur utilisateur utilisateurs tout tous monde aide contacter besoin trouver voir examen ' +
    'examens acces obtenir lien y a-t-il est-ce suis sais savoir apres avant encore jamais rien personne leur leurs ' +
    'se me te mon moi toi fois message erreur qualifications competence competences boite boulot').split(' '),
);
// Accented letters typical of French; checked on the raw text, before folding removes them.
const FR_ACCENTS = /[éèêëàâçùûôîïÿ]/giu;

/**
 * Guesses the language a question is written in: Chinese when it holds Han characters, French or
 * English by function words and accents, and the person's own language when the evidence is thin.
 */
export function detectLanguage(text: string, personLocale: FaqLocale): FaqLocale {
  const han = countHan(text);
  const words = fold(text).match(/[a-z]+/g) ?? [];
  // A Chinese question often carries English product names (Partner University, MCID), so a couple of
  // Han characters outweigh any number of Latin words.
  if (han >= 2 || (han === 1 && words.length <= 2)) return 'zh-CN';
  let en = 0;
  let fr = 0;
  for (const w of words) {
    if (EN_WORDS.has(w)) en++;
    if (FR_WORDS.has(w)) fr++;
  }
  fr += Math.min(2, (text.match(FR_ACCENTS) ?? []).length) * 0.75;
  if (/\b(?:[ldjnsc]|qu)'\p{L}/iu.test(text.replace(/’/g, "'"))) fr += 1; // French elision: l'espace, j'ai, qu'il
  if (Math.abs(en - fr) < 1) return personLocale;
  return en > fr ? 'en' : 'fr';
}
