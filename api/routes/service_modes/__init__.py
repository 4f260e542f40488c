"""The routers of the service modes built beside the purchase referral (池州方案 三(六)), registered together."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes.service_modes import charity, department, party, team

ROUTERS: list[APIRouter] = [department.router, party.router, team.router, charity.router]
