/** Errors the API turns into clear 4xx answers. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

/**
 * When the database refused a value of the request (SQLSTATE class 22, data exception: a number
 * out of its column's range, a date it cannot hold, text it cannot store; 54001: nesting too
 * deep), its code and message. Read from Prisma's error by its shape: the API never imports
 * Prisma (as activities/failures.ts reads P2025).
 */
export function refusedValue(err: unknown): { code: string; message: string } | undefined {
  if (!(err instanceof Error) || err.name !== 'PrismaClientKnownRequestError') return undefined;
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } } }).meta
    ?.driverAdapterError?.cause;
  const code = cause?.originalCode;
  if (typeof code !== 'string' || !(code.startsWith('22') || code === '54001')) return undefined;
  return { code, message: typeof cause?.originalMessage === 'string' ? cause.originalMessage.slice(0, 200) : 'invalid value' };
}

/** A field of a request and what is wrong with it (`body.voice.assistantId`). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** A 400 naming each field, as the error handler answers a schema validation error. */
export class ValidationFailed extends HttpError {
  constructor(readonly issues: readonly FieldIssue[]) {
    super(400, 'validation_failed', `invalid request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  }
}
