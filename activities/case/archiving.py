"""Step 7, 建立档案: one file per person (一人一档) under a service number, sequential per provider."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.saving import claim_step, keep_answer, project, put, written_at
from activities.deadlines.plan import current_plan
from infra.db import Sessions
from models.case_tables import ARCHIVES, Archive, ArchiveDocument
from models.documents.tables import DOCUMENTS
from models.payloads.forms import ArchiveForm
from models.payloads.jobs import StepRecord, StepSaved
from models.tables import PROVIDERS
from vocabulary.documents import DocumentCategory
from vocabulary.refusal import refuse
from workflows.case_activities import CaseActivities


def service_number(provider_code: str, n: int) -> str:
    return f"{provider_code}-{n:06d}"


class ArchivingActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def build_archive(self, record: StepRecord[ArchiveForm]) -> StepSaved:
        t, form = record.transition, record.form
        provider_id = t.actor.provider_id
        assert provider_id is not None
        async with self._sessions.begin() as session:
            if await claim_step(session, record):
                await self._check_files(session, record)
                rows = [{"case_id": t.case_id, "kind": d.kind.value, "file_id": d.file_id,
                         "missing_reason": d.missing_reason, "updated_at": t.at} for d in form.documents]
                stmt = insert(ArchiveDocument).values(rows)
                await session.execute(stmt.on_conflict_do_update(
                    index_elements=["case_id", "kind"],
                    set_={"file_id": stmt.excluded.file_id, "missing_reason": stmt.excluded.missing_reason,
                          "updated_at": stmt.excluded.updated_at},
                ))
                # The provider's number last: its row lock is then held only until the commit, so a
                # provider's archives queue behind each other as briefly as possible.
                service_no = await self._next_number(session, provider_id)
                await put(session, Archive(case_id=t.case_id, provider_id=provider_id, service_no=service_no,
                                           created_by=t.actor.user_id, created_at=t.at))
                plan = await project(session, t, form, service_no=service_no)
                await keep_answer(session, record, StepSaved(at=t.at, service_no=service_no, deadline=plan))
            else:  # a retry of a step already written: answer with the number it got then
                service_no = (await session.execute(
                    select(ARCHIVES.c.service_no).where(ARCHIVES.c.case_id == t.case_id)
                )).scalar_one()
                _, plan = await current_plan(session, t.case_id, t.at)
                return StepSaved(at=await written_at(session, t), service_no=service_no, deadline=plan)
        return StepSaved(at=t.at, service_no=service_no, deadline=plan)

    async def _check_files(self, session: AsyncSession, record: StepRecord[ArchiveForm]) -> None:
        wanted = {d.file_id: d.kind.value for d in record.form.documents if d.file_id is not None}
        if not wanted:
            return
        rows = (await session.execute(
            select(DOCUMENTS.c.id, DOCUMENTS.c.kind).where(
                DOCUMENTS.c.case_id == record.transition.case_id,
                DOCUMENTS.c.category == DocumentCategory.ARCHIVE.value, DOCUMENTS.c.id.in_(list(wanted)),
            )
        )).all()
        found = {r.id: r.kind for r in rows}
        for file_id, kind in wanted.items():
            if found.get(file_id) != kind:
                raise refuse("unknown_file", "档案材料文件不存在，或不属于本案件的该项材料")

    async def _next_number(self, session: AsyncSession, provider_id: Any) -> str:
        # The row lock serialises concurrent archives of one provider: numbers stay gap-free and unique.
        table = PROVIDERS
        row = (await session.execute(
            update(table).where(table.c.id == provider_id)
            .values(last_service_no=table.c.last_service_no + 1)
            .returning(table.c.code, table.c.last_service_no)
        )).one()
        return service_number(row.code, row.last_service_no)
