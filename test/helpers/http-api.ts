/**
 * The end-to-end tests' HTTP client: real requests to a running server (server.ts), a client or
 * admin key as a Bearer token (none: no Authorization header), JSON or multipart bodies.
 */
export interface HttpAnswer {
  status: number;
  /** The JSON answer (null for a 204). */
  body: any;
}

export function httpApi(baseUrl: () => string) {
  return async function api(
    method: string,
    url: string,
    key: string | null,
    body?: FormData | object,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> {
    const json = body !== undefined && !(body instanceof FormData);
    const res = await fetch(`${baseUrl()}${url}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body instanceof FormData ? body : json ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
}

/** The multipart body of POST /v1/campaigns: the campaign as JSON and its lead list as a CSV file. */
export function campaignForm(campaign: object, csv: string): FormData {
  const f = new FormData();
  f.set('campaign', JSON.stringify(campaign));
  f.set('leads', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
  return f;
}
