/**
 * The end-to-end tests' HTTP client: real requests to a running server (server.ts), a client or
 * admin key as a Bearer token (none: no Authorization header), JSON or multipart bodies.
 */
export interface HttpAnswer {
  status: number;
  /** The JSON answer (null for a 204). */
  body: any;
}

export type Api = ReturnType<typeof httpApi>;

/**
 * The API's answer when Temporal did not answer within a route's deadline (a campaign's start or
 * its pause, resume or stop: 5 s): nothing half-done stays behind, or a repeat changes nothing.
 */
export const temporalBusy = (status: number, body: unknown): boolean =>
  status === 503 && (body as { error?: unknown } | null)?.error === 'workflow_unavailable';

/**
 * Sends a request again while the answer is that Temporal did not answer in time (a busy machine),
 * as a client would: for two minutes at most (a safety net for a hang), then the last answer, for
 * the test's assertion to show.
 */
export async function whileTemporalBusy<R>(send: () => Promise<R>, busy: (answer: R) => boolean): Promise<R> {
  const until = Date.now() + 120_000;
  for (;;) {
    const answer = await send();
    if (!busy(answer) || Date.now() > until) return answer;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** `api(...args)`, sent again while Temporal does not answer in time (whileTemporalBusy). */
export const untilTemporalAnswers = (api: Api, ...args: Parameters<Api>): Promise<HttpAnswer> =>
  whileTemporalBusy(
    () => api(...args),
    (r) => temporalBusy(r.status, r.body),
  );

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
