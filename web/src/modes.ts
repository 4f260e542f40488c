// The forms each service mode adds under the case's 服务方式 tab (a placement, a pairing, a team plan ...). Each
// takes `caseId` and emits `done` after a write; it decides itself whether this user may see it.
import type { Component } from 'vue'
import NeighbourPairing from './components/NeighbourPairing.vue'
import PartyForm from './components/modes/PartyForm.vue'
import TeamForm from './components/modes/TeamForm.vue'
import PlacementForm from './forms/PlacementForm.vue'

export const MODE_FORMS: Component[] = [PlacementForm, PartyForm, TeamForm, NeighbourPairing]
