import { describe, expect, it } from 'vitest'
import { activeMenuPath, menuFor, menuGroups } from '../../src/console/menu'

const titles = (perms: string[]) => menuFor(perms).map((m) => m.title)

const ADMIN = [
  'user:read', 'user:write', 'org:read', 'org:write', 'role:read', 'role:write', 'dict:read', 'dict:write',
  'audit:read', 'loginlog:read', 'token:write', 'venue:read', 'venue:write', 'unit:read', 'unit:write',
  'person:read', 'person:write', 'person:pii', 'machine:read', 'machine:write', 'rule:read', 'rule:write',
]

describe('menuFor', () => {
  it('gives the admin every console page in menu order, in two groups', () => {
    expect(titles(ADMIN)).toEqual([
      '场所管理', '单位管理', '人员与证书', '证书数据库', '焊机管理',
      '用户管理', '组织机构', '角色权限', '数据字典', '规则设置', '审计日志', '登录日志', '接口令牌',
    ])
    expect(menuGroups(ADMIN).map((g) => [g.title, g.items.length])).toEqual([
      ['基础台账', 5],
      ['系统管理', 8],
    ])
  })
  it('gives the auditor only the two log pages', () => {
    expect(titles(['audit:read', 'loginlog:read'])).toEqual(['审计日志', '登录日志'])
    expect(menuGroups(['audit:read', 'loginlog:read']).map((g) => g.title)).toEqual(['系统管理'])
  })
  it('needs token:write (not a read permission) for 接口令牌, and ignores unknown permissions', () => {
    expect(titles(['token:read', 'permit:read'])).toEqual([])
    expect(titles(['token:write'])).toEqual(['接口令牌'])
  })
  it('shows 数据备份 to the holder of backup:write (the system administrator) only, last of 系统管理', () => {
    expect(titles(['token:write', 'webhook:write', 'backup:write'])).toEqual(['接口令牌', '消息推送', '数据备份'])
    expect(titles(['audit:read'])).not.toContain('数据备份')
  })
  it('shows 安全策略 to the holder of security:write only, after 角色权限', () => {
    expect(titles(['role:read', 'role:write'])).toEqual(['角色权限'])
    expect(titles(['role:read', 'security:write'])).toEqual(['角色权限', '安全策略'])
  })
  it('gives field roles no console menu, even with the supporting dict:read', () => {
    expect(menuFor([])).toEqual([])
    expect(menuFor(['dict:read'])).toEqual([])
  })
  it('shows 数据字典 next to other 系统管理 pages, or to a dictionary editor', () => {
    expect(titles(['dict:read', 'org:read'])).toEqual(['组织机构', '数据字典'])
    expect(titles(['dict:read', 'dict:write'])).toEqual(['数据字典'])
  })
  it('gives an officer the registries and 规则设置 (read) by permission', () => {
    expect(titles(['user:read', 'org:read', 'dict:read', 'venue:read', 'venue:write', 'unit:read', 'person:read', 'machine:read', 'rule:read'])).toEqual([
      '场所管理', '单位管理', '人员与证书', '证书数据库', '焊机管理', '用户管理', '组织机构', '数据字典', '规则设置',
    ])
  })
  it('gives a contractor its registries but not 数据字典', () => {
    expect(titles(['dict:read', 'unit:read', 'unit:write', 'person:read', 'person:write', 'machine:read', 'machine:write'])).toEqual([
      '单位管理', '人员与证书', '证书数据库', '焊机管理',
    ])
  })
})

describe('动火作业 menu', () => {
  const CONTRACTOR = ['dict:read', 'unit:read', 'unit:write', 'person:read', 'person:write', 'machine:read', 'machine:write', 'permit:read', 'permit:apply']
  it('gives a contractor the board, the list and 申请动火 first, then the registries', () => {
    expect(titles(CONTRACTOR)).toEqual(['今日看板', '动火作业证', '申请动火', '单位管理', '人员与证书', '证书数据库', '焊机管理'])
    expect(menuGroups(CONTRACTOR).map((g) => g.title)).toEqual(['动火作业', '基础台账'])
  })
  it('gives a venue manager the permits and 预警处置 but not 申请动火', () => {
    expect(titles(['dict:read', 'permit:read', 'permit:approve', 'alert:read', 'venue:read', 'venue:write', 'unit:read', 'person:read'])).toEqual([
      '今日看板', '动火作业证', '预警处置', '预警地图', '场所管理', '单位管理', '人员与证书', '证书数据库',
    ])
  })
  it('leaves welders and fire watches on the phone: their permit:read alone opens no console page', () => {
    expect(titles(['dict:read', 'permit:read'])).toEqual([])
    expect(titles(['dict:read', 'permit:read', 'permit:watch'])).toEqual([])
  })
})

describe('隐患治理 menu', () => {
  const HAZARD_ADMIN = [...ADMIN, 'hazard:read', 'hazard:report', 'hazard:assign', 'hazard:rectify', 'report:triage']
  it('puts 隐患台账 and 群众举报 in their own group before the registries', () => {
    expect(titles(HAZARD_ADMIN).slice(0, 3)).toEqual(['隐患台账', '群众举报', '场所管理'])
    expect(menuGroups(HAZARD_ADMIN).map((g) => [g.title, g.items.length])).toEqual([
      ['隐患治理', 2],
      ['基础台账', 5],
      ['系统管理', 8],
    ])
  })
  it('needs report:triage for 群众举报: inspectors and grid staff see the ledger only', () => {
    expect(titles(['dict:read', 'hazard:read', 'hazard:report', 'hazard:assign'])).toEqual(['隐患台账'])
    expect(titles(['dict:read', 'report:triage'])).toEqual(['群众举报'])
    expect(titles(['dict:read', 'hazard:assign', 'hazard:rectify'])).toEqual([])
  })
  it('gives a venue manager the hazards next to the permits', () => {
    const vm = ['dict:read', 'permit:read', 'permit:approve', 'alert:read', 'venue:read', 'hazard:read', 'hazard:rectify']
    expect(menuGroups(vm).map((g) => g.title)).toEqual(['动火作业', '隐患治理', '基础台账'])
    expect(titles(vm)).toContain('隐患台账')
    expect(titles(vm)).not.toContain('群众举报')
  })
  it('keeps the permit pages for someone whose only other page is the hazard ledger', () => {
    expect(titles(['dict:read', 'permit:read', 'hazard:read'])).toEqual(['今日看板', '动火作业证', '隐患台账'])
  })
})

describe('监督检查 and 双随机 menu', () => {
  const INSPECTION = ['inspection:read', 'inspection:write']
  it('puts 监督检查, 双随机抽查 and 检查表模板 after the reports, 检查表模板 for rule editors only', () => {
    const admin = [...ADMIN, 'hazard:read', 'report:triage', ...INSPECTION, 'draw:write']
    expect(titles(admin).slice(0, 6)).toEqual(['隐患台账', '群众举报', '监督检查', '双随机抽查', '检查表模板', '场所管理'])
    expect(menuGroups(admin)[0]).toMatchObject({ title: '隐患治理' })
    expect(menuGroups(admin)[0].items).toHaveLength(5)
  })
  it('gives inspectors and grid staff the inspections and draws (inspection:read), not the templates', () => {
    expect(titles(['dict:read', 'hazard:read', 'hazard:report', 'hazard:assign', ...INSPECTION])).toEqual([
      '隐患台账', '监督检查', '双随机抽查',
    ])
    expect(titles(['dict:read', 'inspection:read'])).toEqual(['监督检查', '双随机抽查'])
    expect(titles(['dict:read', 'rule:write', 'inspection:read'])).toEqual(['监督检查', '双随机抽查', '检查表模板'])
    expect(titles(['dict:read', 'rule:write'])).toEqual([])
  })
})

describe('执法与曝光 menu', () => {
  const CASE = ['case:read', 'case:write']
  it('puts 执法案件 and 失信联合惩戒 in their own group between 隐患治理 and the registries', () => {
    const admin = [...ADMIN, 'hazard:read', 'report:triage', ...CASE]
    expect(titles(admin).slice(0, 5)).toEqual(['隐患台账', '群众举报', '执法案件', '失信联合惩戒', '场所管理'])
    expect(menuGroups(admin).map((g) => g.title)).toEqual(['隐患治理', '执法与曝光', '基础台账', '系统管理'])
  })
  it('needs case:read', () => {
    expect(titles(['dict:read', 'hazard:read'])).not.toContain('执法案件')
    expect(titles(['dict:read', 'case:read'])).toEqual(['执法案件', '失信联合惩戒'])
  })
  it('highlights 执法案件 for a case page', () => {
    expect(activeMenuPath('/cases/3')).toBe('/cases')
    expect(activeMenuPath('/credit-marks')).toBe('/credit-marks')
  })
})

describe('activeMenuPath', () => {
  it('highlights the permit pages by the most specific entry', () => {
    expect(activeMenuPath('/permits/board')).toBe('/permits/board')
    expect(activeMenuPath('/permits/new')).toBe('/permits/new')
    expect(activeMenuPath('/permits/12')).toBe('/permits')
    expect(activeMenuPath('/permits/12/edit')).toBe('/permits')
  })
  it('highlights the list page for a detail page', () => {
    expect(activeMenuPath('/users/12')).toBe('/users')
    expect(activeMenuPath('/venues/3')).toBe('/venues')
    expect(activeMenuPath('/people/3')).toBe('/people')
    expect(activeMenuPath('/roles')).toBe('/roles')
    expect(activeMenuPath('/usersx')).toBe('/usersx')
    expect(activeMenuPath('/hazards/12')).toBe('/hazards')
    expect(activeMenuPath('/reports/3')).toBe('/reports')
    expect(activeMenuPath('/inspections/7')).toBe('/inspections')
    expect(activeMenuPath('/draws/2')).toBe('/draws')
  })
})
