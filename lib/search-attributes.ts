/**
 * Registration of the custom search attributes (SYS-009, domain/search-attributes.ts) on a
 * Temporal namespace: what `temporal operator search-attribute create` does, idempotent. Run by
 * `npm run search-attributes:sync`, by the worker at start (unless
 * TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=off) and by the tests on their time-skipping servers; the
 * local dev server gets them as `--search-attribute` flags at launch (devServerSearchAttributes).
 * An attribute that exists with its type is left alone; one that exists with another type is an
 * error (the queries would not mean what they say): never changed silently.
 */
import type { temporal } from '@temporalio/proto';
import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES, type SearchAttributeTypeName } from '../domain/search-attributes.js';

type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** temporal.api.enums.v1.IndexedValueType (INDEXED_VALUE_TYPE_KEYWORD, _DATETIME): numbers, so no runtime import of the CommonJS protos. */
const INDEXED = { KEYWORD: 2, DATETIME: 6 } as const satisfies Record<SearchAttributeTypeName, number>;
const typeName = (v: number) => Object.entries(INDEXED).find(([, n]) => n === v)?.[0] ?? `indexed value type ${v}`;

/** The operator service of a Temporal connection (a @temporalio/client Connection or a test environment's). */
export interface OperatorConnection {
  operatorService: {
    listSearchAttributes(req: { namespace: string }): Promise<temporal.api.operatorservice.v1.IListSearchAttributesResponse>;
    addSearchAttributes(req: { namespace: string; searchAttributes: Record<string, IndexedValueType> }): Promise<unknown>;
  };
}

export interface SearchAttributeSyncResult {
  name: string;
  outcome: 'created' | 'exists';
}

/** gRPC ALREADY_EXISTS: another process registered it between the list and the add. */
const alreadyExists = (err: unknown) => (err as { code?: number })?.code === 6;

const unimplemented = (err: unknown) => (err as { code?: number })?.code === 12;

/** A server that cannot list them (the time-skipping test server): each added on its own, an existing one left alone. */
async function addEach(connection: OperatorConnection, namespace: string): Promise<SearchAttributeSyncResult[]> {
  const results: SearchAttributeSyncResult[] = [];
  for (const a of SEARCH_ATTRIBUTES) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [a.name]: INDEXED[a.type] as IndexedValueType },
      });
      results.push({ name: a.name, outcome: 'created' });
    } catch (err) {
      if (!alreadyExists(err)) throw err;
      results.push({ name: a.name, outcome: 'exists' });
    }
  }
  return results;
}

/** Registers every missing attribute on `namespace`; throws when one exists with another type. */
export async function syncSearchAttributes(connection: OperatorConnection, namespace: string): Promise<SearchAttributeSyncResult[]> {
  let listed;
  try {
    listed = await connection.operatorService.listSearchAttributes({ namespace });
  } catch (err) {
    if (!unimplemented(err)) throw err;
    return addEach(connection, namespace);
  }
  const existing = { ...(listed.systemAttributes ?? {}), ...(listed.customAttributes ?? {}) };
  const wrong = SEARCH_ATTRIBUTES.filter((a) => a.name in existing && existing[a.name] !== INDEXED[a.type]);
  if (wrong.length) {
    const what = wrong.map((a) => `${a.name} is ${typeName(existing[a.name]!)}, not ${a.type}`);
    throw new Error(`search attributes registered with another type on namespace ${namespace}: ${what.join('; ')}`);
  }
  const missing = SEARCH_ATTRIBUTES.filter((a) => !(a.name in existing));
  if (missing.length) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((a) => [a.name, INDEXED[a.type] as IndexedValueType])),
      });
    } catch (err) {
      if (!alreadyExists(err)) throw err;
      // Registered meanwhile by another worker: check the types as a fresh sync would.
      return syncSearchAttributes(connection, namespace);
    }
  }
  return SEARCH_ATTRIBUTES.map((a) => ({ name: a.name, outcome: missing.includes(a) ? 'created' : 'exists' }));
}

/** The dev server's `--search-attribute` flags (lib/temporal-dev-server.ts `searchAttributes`). */
export function devServerSearchAttributes(): Record<string, (typeof CLI_TYPE_NAMES)[SearchAttributeTypeName]> {
  return Object.fromEntries(SEARCH_ATTRIBUTES.map((a) => [a.name, CLI_TYPE_NAMES[a.type]]));
}
