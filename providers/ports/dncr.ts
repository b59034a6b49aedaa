/** The DNCR port: washing Australian numbers against the ACMA Do Not Call Register. */

export type DncrResult = 'registered' | 'not_registered' | 'invalid';

export interface DncrRegister {
  /**
   * Washes Australian numbers (E.164 +61...). Resolves every number, or throws when the
   * register cannot answer (callers fail closed: no answer means no call and no SMS).
   */
  wash(numbersE164: string[], clientReferenceId: string): Promise<Map<string, DncrResult>>;
}
