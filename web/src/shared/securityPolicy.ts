// The security policy page's list of addresses: one IP or network per line (commas and spaces also separate).
export function parseNetworks(text: string): string[] {
  return text
    .split(/[\s,，;；]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

export const networksText = (list: readonly string[]) => list.join('\n')
