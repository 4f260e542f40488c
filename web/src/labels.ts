// The Chinese names of the API's codes, in the seeds' terms (the API's own *_zh fields are used where it has them).
import type { Role } from './session'

export const ROLE_ZH: Record<Role, string> = {
  applicant: '申请人',
  village_assistant: '村(社区)社会救助协理员',
  township_worker: '乡镇(街道)社会救助工作人员',
  county_officer: '县级民政部门',
  provider: '服务供给主体',
  auditor: '审计/纪检',
}

export const CHANNEL_ZH: Record<string, string> = { window: '窗口申请', online: '线上申请', discovery: '主动发现' }
export const NEED_ZH: Record<string, string> = { care: '照护服务类', living: '生活服务类', wellbeing: '关爱服务类' }
export const CATEGORY_ZH: Record<string, string> = {
  dibao: '低保对象', tekun: '特困人员', orphan: '孤儿和事实无人抚养儿童', dibao_edge: '低保边缘家庭成员',
  monitored: '防止返贫监测对象', expenditure: '支出型困难家庭成员', none: '非社会救助对象',
}
export const CONDITION_ZH: Record<string, string> = {
  incapacitated: '失能或半失能', seriously_ill: '重病患者', severely_disabled: '重度残疾人',
}
export const DIMENSION_ZH: Record<string, string> = {
  economy: '经济', health: '健康', education: '教育', housing: '居住', employment: '就业', guardianship: '监护',
  social_integration: '社会融入',
}
export const DIMENSIONS = Object.keys(DIMENSION_ZH)
export const SCORE_ZH = ['无困难', '轻微', '一般', '较重', '严重']
export const SURVEYOR_ZH: Record<string, string> = { village_staff: '村(社区)工作人员', assistant: '社会救助协理员' }
export const BENEFIT_ZH: Record<string, string> = {
  material_assistance: '物质救助', long_term_care_insurance: '长期护理保险', disability_care_subsidy: '重度残疾人护理补贴',
}
export const DEGREE_ZH: Record<string, string> = { mild: '一般困难', moderate: '比较困难', severe: '特别困难' }
export const DOCUMENT_ZH: Record<string, string> = {
  id_card: '身份证复印件', household_register: '户口本复印件', illness_certificate: '疾病证明',
  disability_certificate: '残疾证', assistance_certificate: '社会救助对象相关证明', needs_form: '需求认定表',
  service_record_form: '接受救助服务情况表',
}
export const DOCUMENTS = Object.keys(DOCUMENT_ZH)
export const STATUS_ZH: Record<string, string> = { open: '在办', closed: '已办结' }
export const OUTCOME_ZH: Record<string, string> = {
  refused: '审核不予确认', withdrawn: '申请人撤回', no_provider: '无服务供给主体承接', stopped: '停止服务',
}
export const RUNG_ZH: Record<string, string> = { reminder: '到期提醒', due: '今日到期', overdue: '已逾期' }
export const REASON_ZH: Record<string, string> = {
  overdue: '已逾期', due_soon: '即将到期', idle: '长时间未办理', blocked: '自动处理受阻',
  urgent_unreviewed: '先行救助待审核',
}
// 先行救助 (vocabulary/urgent.py): the 突发情况 kinds, and the mark a case carries.
export const URGENT_REASON_ZH: Record<string, string> = {
  accident: '遭遇意外伤害', illness: '突发重大疾病', public_health: '受传染病、疫情等突发公共卫生事件影响',
  caregiver_lost: '照料人突发变故，短时间生活无人照料', disaster: '遭遇自然灾害等突发事件', other: '其他特殊原因',
}
export const URGENT_ZH: Record<string, string> = { requested: '先行救助待确认', confirmed: '先行救助' }
export const CONFIRMED_ZH: Record<string, string> = { recipient: '服务对象签字确认', village_assistant: '协理员核实确认' }
export const RULE_SOURCE_ZH: Record<string, string> = {
  loaded: '县级录入（以国务院办公厅通知为准）', shipped: '系统内置', unpublished: '未公布：按周一至周五暂算',
}

export const zh = (table: Record<string, string>, code: string | null | undefined): string =>
  code == null ? '—' : (table[code] ?? code)
