/** What a message names besides what it asks: an MCID, an account kind, a person, an e-mail address. */
export interface Entities {
  /** An 8-digit number written on its own: the shape of a Microsoft Certification ID. */
  readonly mcid?: string;
  readonly accountKind?: 'learn' | 'university';
  /** The first person mentioned with Teams' `<at>Name</at>`, other than nobody. */
  readonly person?: string;
  readonly email?: string;
}

const EMAIL = /[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/;
const MCID = /(?<![\d.,/-])\d{8}(?![\d.,/-])/;
const MENTION = /<at>([^<]{1,200})<\/at>/;
const UNIVERSITY = /partner\s*university|\bpu\b|合作伙伴大学|assessments?|[ée]valuations?|评估/i;
const LEARN = /\blearn(ing)?\b|\bmcid\b|\bcertif|认证|考试|\bexams?\b|\bexamens?\b/i;

/** Finds the entities of a message (raw text: the e-mail and the mention keep their case). */
export function findEntities(text: string, botName?: string): Entities {
  const sample = text.slice(0, 2000).normalize('NFKC');
  const email = EMAIL.exec(sample)?.[0]?.toLowerCase();
  const withoutEmail = email ? sample.replace(EMAIL, ' ') : sample;
  const mcid = MCID.exec(withoutEmail)?.[0];
  let person: string | undefined;
  for (const m of sample.matchAll(new RegExp(MENTION.source, 'g'))) {
    const name = m[1]!.trim();
    if (name && name !== botName) {
      person = name;
      break;
    }
  }
  const plain = withoutEmail.replace(/<at>[^<]*<\/at>/g, ' ');
  const accountKind = UNIVERSITY.test(plain) ? 'university' : LEARN.test(plain) || mcid ? 'learn' : undefined;
  return { ...(mcid && { mcid }), ...(accountKind && { accountKind }), ...(person && { person }), ...(email && { email }) };
}
