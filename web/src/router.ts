// The console's pages. Each page says which roles see it and whether (and where) it appears in the menu, so
// adding a page is one entry here: the menu and the access check follow from it.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { session, type Role } from './session'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    roles?: Role[] // absent: every logged-in user
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
  { path: '/provider/records', component: () => import('./pages/ServiceEntry.vue'),
    meta: { title: '服务记录录入', menu: '服务供给', roles: ['provider'] } },
  { path: '/neighbour/helpers', component: () => import('./pages/neighbour/Helpers.vue'),
    meta: { title: '邻里互助员', menu: '服务供给', roles: SUPERVISORS } },
  { path: '/neighbour/records', component: () => import('./pages/neighbour/Records.vue'),
    meta: { title: '邻里互助服务记录', menu: '服务供给', roles: WORKERS } },
  { path: '/supervision/stuck', component: () => import('./pages/Stuck.vue'),
    meta: { title: '督办：需要关注的案件', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/supervision/durations', component: () => import('./pages/Durations.vue'),
    meta: { title: '各环节办理用时', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/settings/deadlines', component: () => import('./pages/Deadlines.vue'),
    meta: { title: '工作日与办理时限', menu: '监督管理', roles: SUPERVISORS } },
  { path: '/statements', component: () => import('./pages/Statements.vue'),
    meta: { title: '结算单', menu: '资金结算', roles: SETTLEMENT } },
  { path: '/statements/:id', component: () => import('./pages/StatementDetail.vue'), props: true,
    meta: { title: '结算单详情', roles: SETTLEMENT } },
  { path: '/neighbour-settlements', component: () => import('./pages/neighbour/Statements.vue'),
    meta: { title: '邻里互助年度结算', menu: '资金结算', roles: SUPERVISORS } },
  { path: '/neighbour-settlements/:id', component: () => import('./pages/neighbour/StatementDetail.vue'), props: true,
    meta: { title: '邻里互助年度结算单', roles: SUPERVISORS } },
  { path: '/my', component: () => import('./pages/MyCase.vue'), meta: { title: '我的申请', roles: ['applicant'], phone: true } },
  { path: '/:rest(.*)*', component: () => import('./pages/NotFound.vue'), meta: { title: '页面不存在' } },
]

export const MENU_GROUPS = ['工作台', '案件办理', '服务供给', '监督管理', '资金结算']

export function allowed(roles: Role[] | undefined): boolean {
  return !roles || (!!session.me && roles.includes(session.me.role))
}

export const router = createRouter({ history: createWebHistory('/console/'), routes })

router.beforeEach((to) => {
  if (!to.meta.public && !session.token) return { path: '/login', query: { next: to.fullPath } }
  if (to.path === '/login' && session.token) return '/'
  if (!allowed(to.meta.roles)) return '/'
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title ?? ''}｜服务类社会救助工作台`
})
