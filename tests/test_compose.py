"""docker-compose.yml and the Dockerfile, read as data: what a deployer would notice if it were wrong.

There is no Docker engine where the tests run, so this checks the declarations, not a running deployment.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from devstack.binaries import search_attribute_types
from models.settings import DEV_SECRETS, PROJECT_ROOT, Settings
from workflows.visibility import SEARCH_ATTRIBUTES

COMPOSE_TEXT = (PROJECT_ROOT / "docker-compose.yml").read_text()
COMPOSE: dict[str, Any] = yaml.safe_load(COMPOSE_TEXT)
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
APP = ("api", "worker")
# The settings that have laptop-only defaults in Settings: production must set every one of them.
APP_SECRETS = ("TOKEN_SECRET", "ID_HASH_KEY", "ID_CIPHER_KEY", "PAYLOAD_KEY", "DOCUMENT_KEYS")
SECRET_NAME = re.compile(r"SECRET|KEY|PASSWORD|PWD|TOKEN")


def env(service: str) -> dict[str, str]:
    raw = SERVICES[service].get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {k: str(v) for k, v in raw.items()}


def argv(service: str) -> list[str]:
    def words(value: Any) -> list[str]:
        if value is None:
            return []
        return value.split() if isinstance(value, str) else [str(v) for v in value]

    return words(SERVICES[service].get("entrypoint")) + words(SERVICES[service].get("command"))


def one_shot_jobs() -> set[str]:
    """Services others wait on to *finish*: they exit when done, so they have nothing to be healthy about."""
    return {name for svc in SERVICES.values() for name, dep in (svc.get("depends_on") or {}).items()
            if isinstance(dep, dict) and dep.get("condition") == "service_completed_successfully"}


def test_the_services_a_deployment_needs_are_there() -> None:
    assert {"postgresql", "temporal", "temporal-ui", "api", "worker"} <= set(SERVICES)
    assert SERVICES["postgresql"]["image"].startswith("postgres:16")
    # Not the deprecated auto-setup image: the server, with admin-tools setting up its schema.
    assert SERVICES["temporal"]["image"].startswith("temporalio/server:")
    assert not [s for s in SERVICES.values() if "auto-setup" in str(s.get("image"))]
    assert SERVICES["temporal-ui"]["image"].startswith("temporalio/ui:")
    assert any(v.endswith(":/var/lib/postgresql/data") and not v.startswith((".", "/"))
               for v in SERVICES["postgresql"].get("volumes", [])), "PostgreSQL data must live in a named volume"
    named = {v.split(":")[0] for v in SERVICES["postgresql"]["volumes"] if not v.startswith((".", "/"))}
    assert set(COMPOSE.get("volumes") or {}) >= named


@pytest.mark.parametrize("service", sorted(set(SERVICES)))
def test_every_long_running_service_has_a_healthcheck(service: str) -> None:
    if service in one_shot_jobs():
        assert SERVICES[service].get("restart", "no") == "no", f"{service} is a one-shot job and must not restart"
        return
    check = SERVICES[service].get("healthcheck")
    assert check and not check.get("disable") and check.get("test"), f"{service} has no healthcheck"


def test_postgresql_healthcheck_uses_pg_isready() -> None:
    assert "pg_isready" in " ".join(SERVICES["postgresql"]["healthcheck"]["test"])


@pytest.mark.parametrize("service", APP)
def test_app_services_wait_for_healthy_postgresql_and_temporal(service: str) -> None:
    deps = SERVICES[service]["depends_on"]
    assert isinstance(deps, dict), "depends_on needs the long form to carry conditions"
    for needed in ("postgresql", "temporal"):
        assert deps.get(needed, {}).get("condition") == "service_healthy", f"{service} does not wait for {needed}"
    registrar = search_attribute_job()
    assert deps.get(registrar, {}).get("condition") == "service_completed_successfully"


def test_migrations_run_once_before_api_and_worker_and_health_uses_the_new_endpoints() -> None:
    assert argv("migrate") == ["assistflow", "migrate"]  # all heads, via infra.migrate
    for service in APP:
        assert SERVICES[service]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "alembic" not in " ".join(argv(service))  # no replica migrates on its own
    assert "/health/ready" in " ".join(SERVICES["api"]["healthcheck"]["test"])
    assert "worker" in " ".join(argv("worker"))
    assert SERVICES["worker"]["healthcheck"]["test"][1:] == ["assistflow", "health", "--worker-here"]


def test_api_runs_several_workers_sharing_metrics_and_the_worker_scales() -> None:
    command = " ".join(argv("api"))
    assert "--workers" in command and "--factory api.main:app" in command and "--no-access-log" in command
    multiproc = env("api")["PROMETHEUS_MULTIPROC_DIR"]
    assert multiproc in SERVICES["api"]["tmpfs"] and f"rm -rf {multiproc}/*" in command
    # `--scale worker=N`: no fixed container name or host port on the worker.
    assert "container_name" not in SERVICES["worker"] and "ports" not in SERVICES["worker"]
    assert env("worker")["WORKER_METRICS_ADDRESS"].endswith(":9464")
    assert env("worker")["OTEL_EXPORTER_OTLP_ENDPOINT"] == "${OTEL_EXPORTER_OTLP_ENDPOINT:-}"  # off when unset


def test_every_image_is_pinned() -> None:
    for name, svc in SERVICES.items():
        if "build" in svc:
            continue
        _, _, tag = svc["image"].partition(":")
        # A literal version, or a pinned default an operator may override (${SEAWEEDFS_VERSION:-4.07}).
        assert re.fullmatch(r"\d[\w.-]*|\$\{\w+:-\d[\w.-]*\}", tag), f"{name}: {svc['image']}"


def test_the_scripts_the_compose_file_mounts_exist() -> None:
    for svc in SERVICES.values():
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (PROJECT_ROOT / source).exists(), source


def test_temporal_runs_on_the_postgresql_service_after_its_schema_is_set_up() -> None:
    e = env("temporal")
    assert e["DB"] in ("postgres12", "postgres12_pgx")
    assert e["POSTGRES_SEEDS"] == "postgresql"
    assert SERVICES["temporal"]["depends_on"]["temporal-schema"]["condition"] == "service_completed_successfully"
    schema = SERVICES["temporal-schema"]
    assert schema["image"].startswith("temporalio/admin-tools:")
    assert schema["depends_on"]["postgresql"]["condition"] == "service_healthy"
    assert env("temporal-schema")["POSTGRES_USER"] == e["POSTGRES_USER"] == "temporal"
    script = (PROJECT_ROOT / "deploy" / "temporal-schema.sh").read_text()
    assert "setup-schema" in script and "update-schema" in script
    assert env("temporal-ui")["TEMPORAL_ADDRESS"] == "temporal:7233"
    for service in APP:
        assert env(service)["TEMPORAL_ADDRESS"] == "temporal:7233"
        assert "@postgresql:5432/" in env(service)["DATABASE_URL"]
        assert env(service)["DATABASE_URL"].startswith("postgresql+asyncpg://")


def search_attribute_job() -> str:
    jobs = [name for name in SERVICES if {"search-attribute", "create"} <= set(argv(name))]
    assert len(jobs) == 1, f"expected one service registering search attributes, found {jobs}"
    return jobs[0]


def test_registered_search_attributes_are_exactly_the_workflows() -> None:
    words = argv(search_attribute_job())
    names = [words[i + 1] for i, w in enumerate(words) if w == "--name"]
    types = [words[i + 1] for i, w in enumerate(words) if w == "--type"]
    assert dict(zip(names, types, strict=True)) == search_attribute_types()
    assert set(names) == {key.name for key in SEARCH_ATTRIBUTES}


def test_no_secret_has_a_literal_or_default_value() -> None:
    # A default in ${VAR:-x} or ${VAR-x} would start production with a known secret.
    defaulted = re.findall(r"\$\{(\w+)(?::?-)[^}]*\}", COMPOSE_TEXT)
    assert not [v for v in defaulted if SECRET_NAME.search(v)], defaulted
    for service in SERVICES:
        for name, value in env(service).items():
            if SECRET_NAME.search(name) or re.search(r"://[^/@:]+:[^@]+@", value):
                assert re.fullmatch(r".*\$\{\w+:\?[^}]+\}.*", value), f"{service}.{name} is not required from env"


@pytest.mark.parametrize("service", APP)
def test_app_services_get_every_secret_settings_defaults(service: str) -> None:
    defaults = Settings.model_fields
    assert env(service).get("ENVIRONMENT") == "production"  # which refuses the dev secrets at start
    assert set(APP_SECRETS) == {name.upper() for name in DEV_SECRETS}
    for name in APP_SECRETS:
        assert name.lower() in defaults  # the name Settings reads
        assert env(service).get(name) == f"${{{name}:?set {name}}}", f"{service} would run on the dev {name}"


def test_documents_go_to_the_object_store_service_with_its_credentials() -> None:
    store = SERVICES["objectstore"]
    image, _, tag = store["image"].partition(":")
    assert image == "chrislusf/seaweedfs" and re.fullmatch(r"\$\{SEAWEEDFS_VERSION:-\d+\.\d+\}", tag), tag
    words = argv("objectstore")
    assert "-s3" in words and "-s3.port=8333" in words and "-master.telemetry=false" in words
    assert any(v.endswith(":/data") and v.split(":")[0] in (COMPOSE.get("volumes") or {}) for v in store["volumes"])
    assert "/healthz" in " ".join(store["healthcheck"]["test"]) and "ports" not in store
    for service in APP:
        e = env(service)
        assert SERVICES[service]["depends_on"]["objectstore"]["condition"] == "service_healthy"
        settings = Settings(**{k.lower(): v for k, v in e.items() if k in (
            "DOCUMENT_STORE", "S3_ENDPOINT_URL", "S3_BUCKET")})
        assert (settings.document_store, settings.s3_endpoint_url) == ("s3", "http://objectstore:8333")
        assert e["DOCUMENT_KEY_ID"] == "${DOCUMENT_KEY_ID:?set DOCUMENT_KEY_ID}"  # which of DOCUMENT_KEYS writes
        # The app authenticates with exactly the identity the object store is created with.
        assert e["S3_ACCESS_KEY_ID"] == env("objectstore")["AWS_ACCESS_KEY_ID"]
        assert e["S3_SECRET_ACCESS_KEY"] == env("objectstore")["AWS_SECRET_ACCESS_KEY"]
    with pytest.raises(ValueError, match="needs its own DOCUMENT_KEYS"):
        Settings(environment="production")


def test_dockerfile_builds_python_311_slim_and_runs_as_non_root() -> None:
    dockerfile = PROJECT_ROOT / "Dockerfile"
    assert dockerfile.exists()
    lines = [line.strip() for line in dockerfile.read_text().splitlines()]
    assert any(line.startswith("FROM python:3.11-slim") for line in lines)
    users = [line.split()[1] for line in lines if line.upper().startswith("USER ")]
    assert users, "no USER instruction: the container would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")
    for service in APP:
        assert SERVICES[service]["build"] in (".", {"context": "."})
