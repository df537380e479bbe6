"""Keyset pages of the practitioner and partner lists: every referral once, in order, on their indexes."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, text
from sqlalchemy.dialects import postgresql

from referrals.adapters.referral_queries import Filters, ReferralQueries, practitioner_scope, provider_scope
from referrals.adapters.tables import referral_providers, referrals
from tests.harness import Platform

pytestmark = [pytest.mark.integration]


async def seed(platform: Platform, *, team: str, subject: str, provider: uuid.UUID) -> set[uuid.UUID]:
    """60 referrals: some the practitioner's own, some their team's, some both, a few sent to the provider."""
    now, rows, links = datetime.now(UTC), [], []
    for i in range(60):
        rid = uuid.uuid4()
        rows.append({"id": rid, "state": "sent" if i % 3 == 0 else "submitted", "crn": "X123456",
                     "created_by": subject if i % 2 == 0 else f"pp-{uuid.uuid4().hex[:6]}",
                     "team_code": team if i % 5 < 3 else "OTHER", "content": {}, "delivery": {},
                     "created_at": now - timedelta(minutes=i // 2), "updated_at": now,
                     "sent_at": now - timedelta(minutes=i // 3) if i % 3 == 0 else None, "version": 0})
        links.append({"referral_id": rid, "provider_id": provider if i % 2 == 0 else uuid.uuid4()})
    async with platform.referrals.runtime.sessions() as session, session.begin():
        await session.execute(insert(referrals), rows)
        await session.execute(insert(referral_providers), links)
    return {r["id"] for r in rows if r["created_by"] == subject or r["team_code"] == team}


async def all_pages(queries: ReferralQueries, scope, order_by: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = await queries.page(scope, Filters(), order_by=order_by, limit=7, cursor=cursor)
        items += page.items
        if page.next_cursor is None:
            return items
        cursor = page.next_cursor


async def plan(session, queries: ReferralQueries, scope, order_by: str, cursor: str) -> str:
    statements = []
    execute = session.execute

    async def capture(statement, *args, **kwargs):
        statements.append(statement)
        return await execute(statement, *args, **kwargs)

    session.execute = capture
    await queries.page(scope, Filters(), order_by=order_by, limit=7, cursor=cursor)
    session.execute = execute
    sql = str(statements[-1].compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    # A small table would be read whole: ask instead whether an index can serve the page in order.
    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
        await session.execute(text(f"SET LOCAL {setting} = off"))
    return "\n".join(r[0] for r in (await session.execute(text("EXPLAIN " + sql))).all())


@pytest.mark.asyncio(loop_scope="session")
async def test_practitioner_and_partner_pages_hold_every_referral_once_newest_first(platform: Platform) -> None:
    team, subject, provider = f"T{uuid.uuid4().hex[:6]}", f"pp-{uuid.uuid4().hex[:6]}", uuid.uuid4()
    visible = await seed(platform, team=team, subject=subject, provider=provider)
    async with platform.referrals.runtime.sessions() as session:
        queries = ReferralQueries(session)
        mine = await all_pages(queries, practitioner_scope(subject, team, None), "created_at")
        assert [r["id"] for r in mine if r["id"] in visible] == [r["id"] for r in mine]
        assert len(mine) == len({r["id"] for r in mine}) == len(visible)  # mine and my team's: each once
        keys = [(r["created_at"], r["id"]) for r in mine]
        assert keys == sorted(keys, reverse=True)
        sent = await all_pages(queries, provider_scope(provider), "sent_at")
        assert len(sent) == len({r["id"] for r in sent}) == 10  # every 6th row: sent and linked to the provider
        assert [(r["sent_at"], r["id"]) for r in sent] == sorted(((r["sent_at"], r["id"]) for r in sent),
                                                                 reverse=True)


@pytest.mark.asyncio(loop_scope="session")
async def test_each_list_walks_its_own_composite_index_from_the_cursor(platform: Platform) -> None:
    team, subject, provider = f"T{uuid.uuid4().hex[:6]}", f"pp-{uuid.uuid4().hex[:6]}", uuid.uuid4()
    await seed(platform, team=team, subject=subject, provider=provider)
    async with platform.referrals.runtime.sessions() as session, session.begin():
        queries = ReferralQueries(session)
        scope = practitioner_scope(subject, team, None)
        first = await queries.page(scope, Filters(), order_by="created_at", limit=7, cursor=None)
        explained = await plan(session, queries, scope, "created_at", first.next_cursor or "")
        assert "ix_referrals_created_by_keyset" in explained and "ix_referrals_team_keyset" in explained, explained
        first = await queries.page(provider_scope(provider), Filters(), order_by="sent_at", limit=3, cursor=None)
        explained = await plan(session, queries, provider_scope(provider), "sent_at", first.next_cursor or "")
        assert "Index Scan Backward using ix_referrals_sent_keyset" in explained, explained
        assert "Sort" not in explained, explained  # rows come in page order off the index, no sort of the scope
