/**
 * The enrichment ports (SYS-001 enrichment, SYS-002 signals): a person-data provider that matches
 * a lead to a person and tells the facts the score needs (Apollo people match), and an email
 * verifier (ZeroBounce). Both answer a business result for what they could not find ("no match",
 * status 'unknown') and throw ProviderError when they fail or refuse (retryable or not).
 */
import type { EmailStatus } from '../../domain/lead-signals.js';

/** What is known of a lead to find the person (any of them; more is a better match). */
export interface PersonQuery {
  email?: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  companyDomain?: string;
  linkedinUrl?: string;
}

/** The facts a person-data provider gave; every field only when it knew it. */
export interface PersonFacts {
  /** Start of the person's current position (YYYY-MM-DD). */
  roleStartedOn?: string;
  /** The company is hiring (for Apollo: its headcount grew over the last six months). */
  companyHiring?: boolean;
  /** Date of the company's latest funding round (YYYY-MM-DD). */
  fundedOn?: string;
  /** The provider itself verified the lead's email address. */
  emailVerified?: boolean;
  /** A personal (non-work) address the provider holds for the person. */
  personalEmail?: string;
}

export type PersonMatch = { matched: true; facts: PersonFacts } | { matched: false };

export interface PersonEnricher {
  readonly name: string;
  /** One person's facts, or { matched: false } when the provider has nobody for the query. */
  match(query: PersonQuery): Promise<PersonMatch>;
}

export interface EmailCheck {
  status: EmailStatus;
  /** The provider's own words for it (e.g. ZeroBounce 'catch-all', 'mailbox_not_found'). */
  detail?: string;
  /** The address is at a free/personal mail provider (gmail.com, outlook.com ...). */
  freeEmail?: boolean;
}

export interface EmailVerifier {
  readonly name: string;
  /** Most addresses one verify() call takes. */
  readonly maxBatch: number;
  /** Every address given (at most maxBatch), lower-cased, with what the verifier says of it. */
  verify(emails: string[]): Promise<Map<string, EmailCheck>>;
}
