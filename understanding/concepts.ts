/**
 * Concepts: a few families of words that mean the same thing to the bot in all three languages (to undo a link, to
 * make one, a question, a request, a product the bot does not cover). Each concept found is one more feature, and so
 * is each pair of an action concept with a question or a request, so that a phrasing never seen in training still
 * lands near its meaning ("detach" near "unlink", "rattacher" near "associer") and a request stays apart from a
 * question about the same thing. The patterns run on normalized text (no accents, no punctuation, lower case).
 */

const UNLINK =
  /\b(?:un ?link\w*|unlik\w*|de ?link\w*|dis ?connect\w*|dis ?associat\w*|un ?associat\w*|dissoci\w*|desassoci\w*|detach\w*|revok\w*|remov\w*|undo\w*|retir\w*|enlev\w*|supprim\w*|delie\w*)\b|取消关联|取消绑定|解绑|解除|断开|移除|撤销|去掉|删除/u;

// English "connect" only: French "se connecter" means signing in, not linking.
const LINK =
  /\b(?:link\w*|lnk|associat\w*|associ\w*|connect(?:s|ed|ing)?|attach\w*|tie|tied|hook\w*|lier|lie|relie\w*|rattach\w*|raccroch\w*|bind|binding)\b|关联|绑定|绑到|挂到|挂靠|挂在|连接/u;

const ASK =
  /\b(?:how|where|what|whats|why|which|who|whom|when|does|do i|can i|is it|procedure|process|steps?|comment|ou|pourquoi|quel\w*|qui|quand|est ce|etapes?|marche a suivre)\b|怎么|怎样|如何|哪里|哪儿|在哪|为什么|为啥|什么|啥|吗|多久|流程|步骤|是否/u;

const REQUEST =
  /\b(?:please|pls|plz|i want|i wanna|i d like|id like|i would like|can you|could you|can u|help me|let s|lets|go ahead|do it|now|je veux|je voudrais|j aimerais|peux tu|pouvez vous|tu peux|stp|svp|merci de|vas y|maintenant)\b|帮我|我要|我想|请|麻烦|给我|现在/u;

const ELSEWHERE =
  /\b(?:linkedin|authenticator|passwords?|passwd|mot de passe|outlook|github|devops|pdf|vouchers?|coupons?|pearson|invoices?|factures?|subscriptions?|abonnements?|mfa|2fa|badges?|credly|calendars?|calendriers?)\b|密码|优惠券|发票|订阅|日历|徽章|证书/u;

/** The concepts found in normalized text, and their pairs, as feature keys. */
export function concepts(normalized: string, raw: string): string[] {
  const out: string[] = [];
  const unlink = UNLINK.test(normalized);
  // A word that undoes a link governs the link words around it ("取消关联", "remove the association", "supprimer
  // l'association"): the message is about unlinking, so the link concept is not raised with it.
  const link = !unlink && LINK.test(normalized);
  const ask = ASK.test(normalized) || /[?？]/u.test(raw);
  const request = REQUEST.test(normalized);
  const elsewhere = ELSEWHERE.test(normalized);
  if (unlink) out.push('k:unlink');
  if (link) out.push('k:link');
  if (ask) out.push('k:ask');
  if (request) out.push('k:request');
  if (elsewhere) out.push('k:elsewhere');
  for (const action of [unlink ? 'unlink' : '', link ? 'link' : ''].filter(Boolean)) {
    if (ask) out.push(`k:${action}+ask`);
    if (request) out.push(`k:${action}+request`);
    if (!ask && !request) out.push(`k:${action}+bare`);
  }
  return out;
}
