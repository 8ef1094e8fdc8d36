// The security policy page's list of addresses: one IP or network per line (commas and spaces also separate).
export function parseNetworks(text: string): string[] {
  return text
    .split(/[\s,，;；]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

export const networksText = (list: readonly string[]) => list.join('\n')

/**
 * The roles a user administrator may give, as the server decides (so that the form offers only those): a role that
 * grants nothing, always; any, with role:assign; without it, under 三员分立 no other, else roles within their own
 * permissions. `keep` (the account's current role) stays listed.
 */
export function assignableRoles<R extends { id: number; permissions: string[] }>(
  roles: readonly R[],
  mine: readonly string[],
  separation: boolean,
  keep: number | null = null,
): R[] {
  const assigns = mine.includes('role:assign')
  return roles.filter(
    (r) => r.id === keep || r.permissions.length === 0 || assigns || (!separation && r.permissions.every((p) => mine.includes(p))),
  )
}

/** The labels of the administrators' duties (GET /api/permissions `duties`) whose permissions a role holds. */
export function dutiesHeld(duties: readonly { label: string; permissions: string[] }[], permissions: readonly string[]): string[] {
  return duties.filter((d) => d.permissions.some((p) => permissions.includes(p))).map((d) => d.label)
}
