// The console's pages. Each page says which roles see it and whether (and where) it appears in the menu, so
// adding a page is one entry here: the menu and the access check follow from it.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { session, type Role } from './session'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    roles?: Role[] // absent: every logged-in user
    leads?: boolean // township leads (分管领导) see it too, whatever `roles` says
    menu?: string // the menu group it is listed under; absent: not in the menu
    public?: boolean
    phone?: boolean // a phone-width page without the side menu
  }
}

const WORKERS: Role[] = ['village_assistant', 'township_worker', 'county_officer', 'auditor']
const SUPERVISORS: Role[] = ['township_worker', 'county_officer', 'auditor']
const SETTLEMENT: Role[] = ['township_worker', 'county_officer', 'auditor', 'provider']

export const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./pages/Login.vue'), meta: { title: '登录', public: true } },
  { path: '/', redirect: () => (session.me?.role === 'applicant' ? '/my' : '/workbench') },
  { path: '/workbench', component: () => import('./pages/Workbench.vue'),
    meta: { title: '工作台', menu: '工作台', roles: [...WORKERS, 'provider'] } },
  { path: '/cases', component: () => import('./pages/Cases.vue'),
    meta: { title: '案件', menu: '案件办理', roles: [...WORKERS, 'provider'] } },
  { path: '/cases/new', component: () => import('./pages/NewCase.vue'),
    meta: { title: '新建案件', menu: '案件办理', roles: ['village_assistant', 'township_worker'] } },
  { path: '/cases/:id', component: () => import('./pages/CaseDetail.vue'), props: true, meta: { title: '案件详情' } },
  { path: '/referral-batches', component: () => import('./pages/ReferralBatches.vue'),
    meta: { title: '批量转介', menu: '案件办理', roles: ['township_worker', 'county_officer', 'provider'] } },
  { path: '/provider/records', component: () => import('./pages/ServiceEntry.vue'),
    meta: { title: '服务记录录入', menu: '服务供给', roles: ['provider'] } },
  { path: '/neighbour/helpers', component: () => import('./pages/neighbour/Helpers.vue'),
    meta: { title: '邻里互助员', menu: '服务供给', roles: SUPERVISORS } },
  { path: '/neighbour/records', component: () => import('./pages/neighbour/Records.vue'),
    meta: { title: '邻里互助服务记录', menu: '服务供给', roles: WORKERS } },
  { path: '/dynamic/screenings', component: () => import('./pages/dynamic/Screenings.vue'),
    meta: { title: '需求摸排', menu: '动态管理', roles: WORKERS } },
  { path: '/dynamic/report', component: () => import('./pages/dynamic/Report.vue'),
    meta: { title: '动态管理月报', menu: '动态管理', roles: WORKERS } },
  { path: '/dynamic/roster', component: () => import('./pages/dynamic/Roster.vue'),
    meta: { title: '动态监测名单导入', menu: '动态管理', roles: ['county_officer', 'auditor'] } },
  { path: '/dynamic/status-events', component: () => import('./pages/dynamic/StatusEvents.vue'),
    meta: { title: '身份变动', menu: '动态管理', roles: WORKERS } },
  { path: '/supervision/stuck', component: () => import('./pages/Stuck.vue'),
    meta: { title: '督办：需要关注的案件', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/supervision/durations', component: () => import('./pages/Durations.vue'),
    meta: { title: '各环节办理用时', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/oversight/overview', component: () => import('./pages/oversight/Overview.vue'),
    meta: { title: '监督管理总览', menu: '监督管理', roles: ['county_officer', 'auditor'] } },
  { path: '/oversight/settings', component: () => import('./pages/oversight/Settings.vue'),
    meta: { title: '监督管理设置', menu: '监督管理', roles: ['county_officer', 'auditor'] } },
  { path: '/oversight/notices', component: () => import('./pages/oversight/Notices.vue'),
    meta: { title: '长期公示', menu: '监督管理', roles: WORKERS } },
  { path: '/oversight/checks', component: () => import('./pages/oversight/Checks.vue'),
    meta: { title: '抽查', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/oversight/complaints', component: () => import('./pages/oversight/Complaints.vue'),
    meta: { title: '投诉与12345工单', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/oversight/rectifications', component: () => import('./pages/oversight/Rectifications.vue'),
    meta: { title: '整改', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/oversight/visits', component: () => import('./pages/oversight/Visits.vue'),
    meta: { title: '满意度回访', menu: '监督管理', roles: WORKERS } },
  { path: '/oversight/evaluations', component: () => import('./pages/oversight/Evaluations.vue'),
    meta: { title: '绩效评价', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/oversight/ledger', component: () => import('./pages/oversight/Ledger.vue'),
    meta: { title: '需求台账', menu: '监督管理', roles: WORKERS } },
  { path: '/provider/rectifications', component: () => import('./pages/oversight/Rectifications.vue'),
    meta: { title: '整改', menu: '服务供给', roles: ['provider'] } },
  { path: '/provider/evaluations', component: () => import('./pages/oversight/Evaluations.vue'),
    meta: { title: '绩效评价', menu: '服务供给', roles: ['provider'] } },
  { path: '/provider/complaints', component: () => import('./pages/oversight/Complaints.vue'),
    meta: { title: '投诉办理', menu: '服务供给', roles: ['provider'] } },
  { path: '/settings/deadlines', component: () => import('./pages/Deadlines.vue'),
    meta: { title: '工作日与办理时限', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/modes/referrals', component: () => import('./pages/ModeReferrals.vue'),
    meta: { title: '部门联动与慈善转介', menu: '服务供给', roles: ['county_officer', 'auditor'] } },
  { path: '/statements', component: () => import('./pages/Statements.vue'),
    meta: { title: '结算单', menu: '资金结算', roles: SETTLEMENT } },
  { path: '/statements/:id', component: () => import('./pages/StatementDetail.vue'), props: true,
    meta: { title: '结算单详情', roles: SETTLEMENT } },
  { path: '/neighbour-settlements', component: () => import('./pages/neighbour/Statements.vue'),
    meta: { title: '邻里互助年度结算', menu: '资金结算', roles: SUPERVISORS } },
  { path: '/neighbour-settlements/:id', component: () => import('./pages/neighbour/StatementDetail.vue'), props: true,
    meta: { title: '邻里互助年度结算单', roles: SUPERVISORS } },
  { path: '/admin/users', component: () => import('./pages/admin/Users.vue'),
    meta: { title: '用户管理', menu: '系统管理', roles: ['county_officer'], leads: true } },
  { path: '/admin/providers', component: () => import('./pages/admin/Providers.vue'),
    meta: { title: '服务供给主体管理', menu: '系统管理', roles: ['county_officer'] } },
  { path: '/my', component: () => import('./pages/MyCase.vue'), meta: { title: '我的申请', roles: ['applicant'], phone: true } },
  { path: '/:rest(.*)*', component: () => import('./pages/NotFound.vue'), meta: { title: '页面不存在' } },
]

export const MENU_GROUPS = ['工作台', '案件办理', '服务供给', '动态管理', '监督管理', '资金结算', '系统管理']

export function allowed(roles: Role[] | undefined, leads = false): boolean {
  const me = session.me
  return !roles || (!!me && (roles.includes(me.role) || (leads && me.role === 'township_worker' && !!me.lead)))
}

export const router = createRouter({ history: createWebHistory('/console/'), routes })

router.beforeEach((to) => {
  if (!to.meta.public && !session.token) return { path: '/login', query: { next: to.fullPath } }
  if (to.path === '/login' && session.token) return '/'
  if (!allowed(to.meta.roles, to.meta.leads)) return '/'
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title ?? ''}｜服务类社会救助工作台`
})
