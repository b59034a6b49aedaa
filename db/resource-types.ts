/** Pool resource type names of domain/pool.ts <-> the database enum `ResourceType`. */
import type { ResourceType } from '../domain/pool.js';

export type DbResourceType = 'domain' | 'mailbox' | 'phone_number' | 'linkedin_seat';

export const DB_RESOURCE_TYPE: Readonly<Record<ResourceType, DbResourceType>> = {
  domains: 'domain',
  mailboxes: 'mailbox',
  phoneNumbers: 'phone_number',
  linkedinSeats: 'linkedin_seat',
};

export const RESOURCE_TYPE_OF_DB: Readonly<Record<DbResourceType, ResourceType>> = {
  domain: 'domains',
  mailbox: 'mailboxes',
  phone_number: 'phoneNumbers',
  linkedin_seat: 'linkedinSeats',
};
