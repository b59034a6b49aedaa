/**
 * The signed-in key of this browser tab: kept in sessionStorage only (gone when the tab closes,
 * never in localStorage or a cookie), one per console.
 */
export type Role = 'client' | 'admin';

const slot = (role: Role) => `agency-os.${role}-key`;

export const session = {
  get: (role: Role): string | null => sessionStorage.getItem(slot(role)),
  set: (role: Role, key: string) => sessionStorage.setItem(slot(role), key),
  clear: (role: Role) => sessionStorage.removeItem(slot(role)),
};
