/**
 * ICP fit: the three company-fit facts of a company against the client's ideal customer profile
 * (SYS-002), the input of the company-fit part of the score. Re-exported by scoring.ts.
 */

export interface IdealCustomerProfile {
  industries?: readonly string[];
  employeeMin?: number | null;
  employeeMax?: number | null;
  /** ISO 3166-1 alpha-2 codes. */
  countries?: readonly string[];
}

export interface CompanyFacts {
  industry?: string | null;
  employeeCount?: number | null;
  /** ISO 3166-1 alpha-2 code. */
  country?: string | null;
}

const norm = (s: string) => s.trim().toLowerCase();

/** The three company-fit facts of a company against the client's ICP (SYS-002). */
export function icpFit(
  company: CompanyFacts,
  icp: IdealCustomerProfile,
): { industryMatch: boolean; employeeCountInRange: boolean; icpCountryMatch: boolean } {
  const industryMatch = !!company.industry && !!icp.industries?.some((i) => norm(i) === norm(company.industry!));
  const n = company.employeeCount;
  const hasRange = icp.employeeMin != null || icp.employeeMax != null;
  const employeeCountInRange =
    hasRange &&
    n != null &&
    Number.isFinite(n) &&
    (icp.employeeMin == null || n >= icp.employeeMin) &&
    (icp.employeeMax == null || n <= icp.employeeMax);
  const icpCountryMatch = !!company.country && !!icp.countries?.some((c) => norm(c) === norm(company.country!));
  return { industryMatch, employeeCountInRange, icpCountryMatch };
}
