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

// 动态管理 (vocabulary/dynamic.py)
export const STATUS_CHANGE_ZH: Record<string, string> = {
  category_gained: '新纳入社会救助对象', category_changed: '救助类别变更', category_lost: '退出社会救助对象(如退出低保)',
  death: '死亡', moved_within_county: '县内迁移', moved_out: '迁出本县', institution: '入住机构集中供养',
  own_request: '本人申请停止服务', review_ineligible: '月度复核不再符合服务对象条件', objection_upheld: '长期公示异议核实成立',
}
export const EVENT_SOURCE_ZH: Record<string, string> = {
  manual: '工作人员录入', roster: '动态监测信息平台导入', review: '月度动态复核', objection: '长期公示异议核实',
}
export const CHANGE_KIND_ZH: Record<string, string> = {
  add_items: '增加服务事项', reduce: '减少服务数量', remove_items: '取消部分服务事项', stop: '停止服务',
}
export const DECISION_RESULT_ZH: Record<string, string> = { change: '变更服务', stop: '终止服务', keep: '维持原服务(不予变更)' }
export const STATEMENT_BY_ZH: Record<string, string> = { recipient: '服务对象本人', guardian: '监护人或代理人' }
export const SCREENING_STATUS_ZH: Record<string, string> = {
  pending: '待摸排', need: '有服务需求(已转入主动发现)', no_need: '暂无服务需求',
}

// 监督管理 (vocabulary/oversight.py)
export const CHECK_METHOD_ZH: Record<string, string> = { home_visit: '入户', phone: '电话', video: '视频' }
export const CHECK_RESULT_ZH: Record<string, string> = {
  confirmed: '属实', not_delivered: '未提供', quality_issue: '质量问题', dissatisfied: '对象不满意',
}
export const DRAW_KIND_ZH: Record<string, string> = { regular: '常规抽查', top_up: '年末补充抽查' }
export const RECT_SOURCE_ZH: Record<string, string> = {
  spot_check: '抽查发现', satisfaction_visit: '满意度回访', complaint: '投诉查实',
}
export const RECT_STATUS_ZH: Record<string, string> = { open: '整改中', submitted: '待县级核验', verified: '整改到位' }
export const SATISFACTION_ZH: Record<string, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' }
export const VISIT_STATUS_ZH: Record<string, string> = { pending: '待回访', not_reached: '未联系上', done: '已回访' }
export const FOLLOW_UP_ZH: Record<string, string> = { rectification: '转整改', complaint: '转投诉' }
export const COMPLAINT_CHANNEL_ZH: Record<string, string> = {
  hotline: '12345热线工单', window: '窗口', online: '网上', letter: '信件', return_visit: '满意度回访中反映',
}
export const COMPLAINT_CATEGORY_ZH: Record<string, string> = {
  service_not_delivered: '服务未提供', service_quality: '服务质量', staff_conduct: '工作人员作风',
  eligibility: '救助对象认定', fees: '收费问题', other: '其他',
}
export const HANDLER_ZH: Record<string, string> = { township: '乡镇(街道)', provider: '服务供给主体', county: '县级民政部门' }
export const COMPLAINT_STATUS_ZH: Record<string, string> = { received: '待受理', accepted: '办理中', replied: '已答复待回访', closed: '已办结' }
export const OBJECTION_RESULT_ZH: Record<string, string> = { upheld: '异议成立', rejected: '异议不成立' }
export const METRIC_ZH: Record<string, string> = {
  referral_answers: '转介按时答复率', plans_on_time: '服务方案按时制定率', archives_on_time: '服务档案按时建立率',
  delivery: '服务计划完成率', spot_checks: '抽查合格率', satisfaction: '满意率',
  complaints: '每百名服务对象有效投诉(折算得分)', rectifications: '整改按时完成率',
}
export const PROVIDER_KINDS = ['社会福利机构', '社会工作服务机构', '社会组织'] as const
