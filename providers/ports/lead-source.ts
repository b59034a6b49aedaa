/** The lead-source port (SYS-001 sourcing): a paged people search by ICP. */

/** The ICP as a lead source understands it (a subset of the campaign's ICP). */
export interface SourcingQuery {
  titles: string[];
  industries: string[];
  /** ISO 3166 alpha-2 codes. */
  countries: string[];
  employeeMin?: number;
  employeeMax?: number;
  keywords: string[];
}

/** A sourced person, in the lead-row shape the API accepts (domain/lead-row.ts keys). */
export interface SourcedLead {
  email?: string;
  first_name?: string;
  last_name?: string;
  title?: string;
  company?: string;
  company_domain?: string;
  industry?: string;
  employee_count?: number;
  city?: string;
  state?: string;
  country?: string;
  phone?: string;
  linkedin_url?: string;
  /** The source's own id of the person, to de-duplicate across pages and runs. */
  externalId: string;
}

export interface LeadSource {
  readonly name: string;
  /** One page of people matching the query; `nextCursor` undefined on the last page. */
  search(
    query: SourcingQuery,
    page: { cursor?: string; pageSize: number },
  ): Promise<{ leads: SourcedLead[]; nextCursor?: string; total?: number }>;
}
