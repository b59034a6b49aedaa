/**
 * Touches: the ledger of every contact attempt (ledger.ts, per client), how a send reserves its
 * caps and row (reservation.ts), the shared daily caps (caps.ts) and what providers report
 * afterwards (reports.ts).
 */
import type { Db } from '../../db/client.js';
import { createCaps } from './caps.js';
import { createTouchLedger } from './ledger.js';
import { reserveTouch, type Claim, type Reservation } from './reservation.js';
import { createTouchReports } from './reports.js';

export function createTouches(db: Db) {
  const caps = createCaps(db);
  const reports = createTouchReports(db);
  return {
    forTenant: createTouchLedger(db).forTenant,
    system: {
      ...caps.system,
      ...reports.system,
      /** Claims a send's caps and creates its touch in one transaction (reservation.ts). */
      reserve: <T>(claim: (r: Reservation) => Promise<Claim<T>>) => reserveTouch<T>(db, claim),
    },
  };
}
export type Touches = ReturnType<typeof createTouches>;
export type { TouchDone, Delivered } from './ledger.js';
export type { TouchDraft, Reservation, Claim } from './reservation.js';
export { claimed, refused } from './reservation.js';
export { messageIdForms } from './reports.js';
export { isUniqueViolation as isDuplicateTouch } from '../../db/client.js';
