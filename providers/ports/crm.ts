/**
 * The CRM port (SYS-004): a booked meeting pushes its contact, company, deal and meeting to the
 * client's CRM, and the workflow stores the ids it gets back.
 *
 * Every upsert is idempotent on its key (the contact's email, the company's domain or name, the
 * deal's and the meeting's own key): Temporal retries an activity after a timeout even when the
 * first attempt's write reached the CRM, and a retry must update what that attempt created, never
 * create a second one. Errors follow the convention in ../ports.ts (plain Error: transient;
 * ProviderError retryable=false: permanent).
 */

export interface CrmContactInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  title?: string | null;
  linkedinUrl?: string | null;
  company?: string | null;
}

export interface CrmCompanyInput {
  name: string;
  domain?: string | null;
  /** The CRM's id a previous sync kept: updated by id, without a search (which lags the CRM's writes). */
  knownId?: string | null;
}

export interface CrmDealInput {
  /** Our deal id: unique, the key the deal is found by again. */
  key: string;
  name: string;
  stage: 'meeting_booked' | 'meeting_cancelled' | 'meeting_held';
  amount?: number | null;
  closeDate?: string | null;
  /** The CRM's id a previous sync kept: updated by id, without a search (which lags the CRM's writes). */
  knownId?: string | null;
}

export interface CrmMeetingInput {
  /** The booking uid: the key the meeting is found by again. */
  key: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: 'scheduled' | 'rescheduled' | 'cancelled';
  location?: string | null;
  notes?: string | null;
  /** The CRM's id a previous sync kept: updated by id, without a search (which lags the CRM's writes). */
  knownId?: string | null;
}

export interface CrmIds {
  contactId: string;
  companyId?: string;
  dealId: string;
  meetingId?: string;
}

/**
 * Absent or null optional fields are left as the CRM holds them (never cleared). Each method
 * returns the CRM's id of the record it created or updated.
 */
export interface CrmClient {
  readonly name: 'hubspot';
  upsertContact(c: CrmContactInput): Promise<string>;
  upsertCompany(c: CrmCompanyInput): Promise<string>;
  upsertDeal(d: CrmDealInput, links: { contactId: string; companyId?: string }): Promise<string>;
  upsertMeeting(m: CrmMeetingInput, links: { contactId: string; dealId: string }): Promise<string>;
}

/** A client's CRM connection as the sync uses it: the provider, the client's token, its pipeline and stage ids. */
export interface CrmConnectionConfig {
  provider: 'hubspot';
  accessToken: string;
  pipeline?: string | null;
  stages?: Partial<Record<CrmDealInput['stage'], string>>;
}

/** Makes the CRM client of one client's connection (each client has its own CRM and token). */
export type CrmClientFactory = (connection: CrmConnectionConfig) => CrmClient;
