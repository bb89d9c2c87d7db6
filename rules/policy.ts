/**
 * Every number of the rules, once. A `Policy` is passed to each rule so that tests and deployments can change
 * a number without touching code; `defaultPolicy` holds the values the reference documents state.
 */

/** The numbers the rules use; `defaultPolicy` documents where each comes from. */
export interface Policy {
  /** Minimum time between two starts of associations of one MCID, in days of 24 hours. */
  daysBetweenAssociationStarts: number;
  /** Maximum association starts of one MCID inside one window. */
  maxAssociationStartsPerWindow: number;
  /** `rolling`: a start counts for `associationWindowMonths` months after it; `calendar`: it counts until the calendar window (a calendar year for 12) ends. */
  associationWindow: 'rolling' | 'calendar';
  /** Length of the association window in calendar months. */
  associationWindowMonths: number;
  /** Days after `max(linked, passed)` from which a Microsoft Learn credential counts. */
  creditDelayDays: number;
  /** Hours after linking from which Partner University assessments passed before linking count. */
  universityExistingCreditHours: number;
  /** Earliest days after passing at which a Partner University assessment passed after linking may count. */
  universityNewCreditMinDays: number;
  /** Days after passing by which a Partner University assessment passed after linking counts. */
  universityNewCreditMaxDays: number;
  /** Day of the month of the skills-report refresh (00:00 UTC) after which the credit of an ended association stops. */
  reportRefreshDayOfMonth: number;
  /** Days ahead in which a credential expiry makes a met requirement `at-risk`. */
  expiryWarningDays: number;
}

/** The documented values. */
export const defaultPolicy: Policy = Object.freeze({
  // Partner Center: "Associate Microsoft Certification profile ID (MCID) to a Microsoft AI Cloud Partner Program" (30 day cool off from the start of the association).
  daysBetweenAssociationStarts: 30,
  // Partner Center: "Associate Microsoft Certification profile ID (MCID) to a Microsoft AI Cloud Partner Program" (three associations allowed each year).
  maxAssociationStartsPerWindow: 3,
  // DESIGN.md rule 4 reads the document's "each year" as a rolling 12-month window; `calendar` is the other reading.
  associationWindow: 'rolling',
  // Partner Center: "Associate Microsoft Certification profile ID (MCID) to a Microsoft AI Cloud Partner Program" ("each year").
  associationWindowMonths: 12,
  // Partner Center: "Associate Microsoft Certification profile ID (MCID) to a Microsoft AI Cloud Partner Program" (credit within ten days of linking or completion).
  creditDelayDays: 10,
  // Microsoft Support: "How to link or unlink a Microsoft Certification profile ID (MCID) to a Microsoft Partner Network (MPN) account" (assessments reflect within 72hrs).
  universityExistingCreditHours: 72,
  // Microsoft Support: "How to link or unlink a Microsoft Certification profile ID (MCID) to a Microsoft Partner Network (MPN) account" (newly passed: 7-10 days).
  universityNewCreditMinDays: 7,
  // Microsoft Support: "How to link or unlink a Microsoft Certification profile ID (MCID) to a Microsoft Partner Network (MPN) account" (newly passed: 7-10 days).
  universityNewCreditMaxDays: 10,
  // Partner Center: "Associate Microsoft Certification profile ID (MCID) to a Microsoft AI Cloud Partner Program" (removed on the refresh around the 10th of the following month).
  reportRefreshDayOfMonth: 10,
  // Our choice, stated in no document: Partner Center's at-risk notices give no lead time.
  expiryWarningDays: 60,
});
