// Which form each action of the process table opens. An action the API offers that has no form here is still
// listed (its name from the API), with a note that it is done elsewhere, so nothing the user may do is hidden.
import type { Component } from 'vue'
import ArchiveForm from './ArchiveForm.vue'
import ExtendForm from './ExtendForm.vue'
import PlanForm from './PlanForm.vue'
import ReassignForm from './ReassignForm.vue'
import ReferForm from './ReferForm.vue'
import RegisterForm from './RegisterForm.vue'
import RespondForm from './RespondForm.vue'
import ReturnForm from './ReturnForm.vue'
import ReviewForm from './ReviewForm.vue'
import StopForm from './StopForm.vue'
import SurveyForm from './SurveyForm.vue'
import TextForm from './TextForm.vue'
import UrgentForm from './UrgentForm.vue'

export interface FormSpec {
  component: Component
  props?: Record<string, unknown>
  danger?: boolean
  ctx?: boolean // the form reads the case (its records, its village)
}

const reason = (label: string, hint?: string): FormSpec => ({ component: TextForm, props: { field: 'reason', label, required: true, hint } })
const note = (label: string): FormSpec => ({ component: TextForm, props: { field: 'note', label } })

export const FORMS: Record<string, FormSpec> = {
  register: { component: RegisterForm },
  return_incomplete: { component: ReturnForm },
  resubmit: note('补齐材料说明（选填）'),
  survey: { component: SurveyForm },
  review: { component: ReviewForm },
  refer: { component: ReferForm },
  respond_referral: { component: RespondForm },
  file_plan: { component: PlanForm, ctx: true },
  build_archive: { component: ArchiveForm, ctx: true },
  withdraw: { ...reason('撤回理由'), danger: true },
  close: { ...reason('结案理由', '如：已转介的服务供给主体均拒绝承接'), danger: true },
  stop_services: { component: StopForm, danger: true },
  dismiss_task: reason('核实结果：无需变更服务的理由'),
  acknowledge_change: note('确认说明（选填）'),
  suspend_deadline: reason('暂停计时的理由', '如：等待申请人补充材料'),
  resume_deadline: note('恢复计时说明（选填）'),
  extend_deadline: { component: ExtendForm },
  reassign: { component: ReassignForm, ctx: true },
  retry_blocked: note('已排除的故障原因（选填）'),
  mark_urgent: { component: UrgentForm },
  confirm_urgent: note('确认说明（选填，如：已电话核实）'),
}
