// Names the pages show instead of codes: divisions, service items, providers, assignees (loaded once per login).
import { reactive } from 'vue'
import { api, must, type Schemas } from './api/client'
import { hasRole } from './session'

type Division = Schemas['DivisionOut']
type Item = Schemas['ServiceItemOut']
type ProviderRow = Schemas['ProviderOut']
type Assignee = Schemas['AssigneeOut']

export const directory = reactive({
  divisions: [] as Division[],
  items: [] as Item[],
  providers: [] as ProviderRow[],
  assignees: [] as Assignee[],
})

let loaded: Promise<void> | null = null

export function loadDirectory(): Promise<void> {
  loaded ??= (async () => {
    const [divisions, items, providers, assignees] = await Promise.all([
      must(api.GET('/divisions')),
      must(api.GET('/service-items')),
      must(api.GET('/providers')),
      hasRole('township_worker', 'county_officer', 'auditor') ? must(api.GET('/assignees')) : Promise.resolve([]),
    ])
    Object.assign(directory, { divisions, items, providers, assignees })
  })().catch((e) => {
    loaded = null
    throw e
  })
  return loaded
}

export function forgetDirectory(): void {
  loaded = null
}

export const divisionName = (code: string | null | undefined): string =>
  (code && directory.divisions.find((d) => d.code === code)?.name) || code || '—'
export const itemName = (code: string): string => directory.items.find((i) => i.code === code)?.name ?? code
export const providerName = (id: string | null | undefined): string =>
  (id && directory.providers.find((p) => p.id === id)?.name) || '—'
export const assigneeName = (id: string | null | undefined): string =>
  (id && directory.assignees.find((a) => a.id === id)?.full_name) || ''
export const townships = (): Division[] => directory.divisions.filter((d) => d.level === 'township')
export const villages = (township?: string): Division[] =>
  directory.divisions.filter((d) => d.level === 'village' && (!township || d.parent_code === township))
