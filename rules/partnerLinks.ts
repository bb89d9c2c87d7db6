/**
 * The Microsoft pages the bot sends people to, each written once: the FAQ answers' links, the "ask certification
 * support" link of the account-taken card and the Partner Center button of the competency alerts.
 */
export const PARTNER_LINKS = {
  /** Partner Center's dashboard, where a person associates their MCID. */
  dashboard: 'https://partner.microsoft.com/dashboard/',
  /** Partner Center support. */
  support: 'https://partner.microsoft.com/support',
  /** Microsoft Certification support (the forum), for an MCID or login bound to someone else. */
  certificationSupport: 'https://aka.ms/mcpforum',
  /** Partner Center's competencies page, where an organization sees what it has met. */
  competencies: 'https://partner.microsoft.com/pcv/partnership/competencies',
} as const;
