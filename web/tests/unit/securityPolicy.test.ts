import { describe, expect, it } from 'vitest'
import { networksText, parseNetworks } from '../../src/shared/securityPolicy'

describe('security policy addresses', () => {
  it('reads one per line, or separated by commas and spaces, and drops blanks', () => {
    expect(parseNetworks('192.168.1.0/24\n\n 10.0.0.5 \r\n')).toEqual(['192.168.1.0/24', '10.0.0.5'])
    expect(parseNetworks('10.0.0.0/8，172.16.0.0/12; 2001:db8::/32')).toEqual(['10.0.0.0/8', '172.16.0.0/12', '2001:db8::/32'])
    expect(parseNetworks('   ')).toEqual([])
  })
  it('writes one per line', () => {
    expect(networksText(['10.0.0.0/8', '127.0.0.1'])).toBe('10.0.0.0/8\n127.0.0.1')
    expect(parseNetworks(networksText(['a', 'b']))).toEqual(['a', 'b'])
  })
})
