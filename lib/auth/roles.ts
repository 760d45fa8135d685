/** Who a caller is: a buyer (`user`), the shop's merchant (`admin`) or an on-call operator (`ops`). */
export const ROLES = ['user', 'admin', 'ops'] as const;
export type Role = (typeof ROLES)[number];

/** A signed-in caller, as the access middleware found them (role as the accounts database says now). */
export interface Principal {
  userId: bigint;
  username: string;
  role: Role;
  /** The login session its tokens belong to. */
  sessionId: string;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
