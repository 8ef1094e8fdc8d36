import { describe, expect, it } from 'vitest'
import { buildOrgTree, childKinds, loginReasonLabel, maskPhone } from '../../src/shared/format'
import type { OrgUnit } from '../../src/shared/types'

describe('maskPhone', () => {
  it('masks the middle four digits of a mobile number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234')
  })
  it('leaves already-masked or other values alone', () => {
    expect(maskPhone('138****1234')).toBe('138****1234')
    expect(maskPhone('023-6868')).toBe('023-6868')
    expect(maskPhone('')).toBe('—')
    expect(maskPhone(null)).toBe('—')
  })
})

const u = (id: number, parentId: number | null, kind: OrgUnit['kind'], sort: number): OrgUnit => ({
  id,
  parentId,
  kind,
  name: `u${id}`,
  code: '',
  sort,
  userCount: 0,
})

describe('buildOrgTree', () => {
  it('nests by parentId and sorts siblings by sort', () => {
    const tree = buildOrgTree([u(3, 1, 'village', 2), u(2, 1, 'department', 1), u(4, 3, 'grid', 1), u(1, null, 'town', 0)])
    expect(tree.map((n) => n.id)).toEqual([1])
    expect(tree[0].children!.map((n) => n.id)).toEqual([2, 3])
    expect(tree[0].children![1].children!.map((n) => n.id)).toEqual([4])
    expect(tree[0].children![0].children).toBeUndefined()
  })
  it('makes nodes whose parent is out of scope into roots', () => {
    const tree = buildOrgTree([u(5, 99, 'department', 1), u(6, 5, 'grid', 1)])
    expect(tree.map((n) => n.id)).toEqual([5])
    expect(tree[0].children!.map((n) => n.id)).toEqual([6])
  })
})

describe('childKinds and labels', () => {
  it('follows town -> department/village, village -> grid', () => {
    expect(childKinds('town')).toEqual(['department', 'village'])
    expect(childKinds('village')).toEqual(['grid'])
    expect(childKinds('department')).toEqual([])
    expect(childKinds('grid')).toEqual([])
  })
  it('translates login failure reasons, passing unknown codes through', () => {
    expect(loginReasonLabel('ACCOUNT_LOCKED')).toBe('账号已锁定')
    expect(loginReasonLabel('SOMETHING_NEW')).toBe('SOMETHING_NEW')
    expect(loginReasonLabel(null)).toBe('—')
  })
})
