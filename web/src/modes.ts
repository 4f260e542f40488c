// The forms each service mode adds under the case's 服务方式 tab (a placement, a pairing, a team plan ...). Each
// takes `caseId` and emits `done` after a write; it decides itself whether this user may see it.
import type { Component } from 'vue'
import NeighbourPairing from './components/NeighbourPairing.vue'

export const MODE_FORMS: Component[] = [NeighbourPairing]
