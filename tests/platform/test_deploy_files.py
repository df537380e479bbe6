"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so check
them against the code: every service, command and environment variable they name exists."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("referrals", "providers", "contracts", "notifications")
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_fields(service: str) -> set[str]:
    settings = importlib.import_module(f"{service}.settings").Settings
    return set(settings.model_fields)


def test_compose_has_broker_database_and_every_service_role():
    names = set(COMPOSE["services"])
    assert {"kafka", "postgres"} <= names
    for service in SERVICES:
        assert {f"{service}-api", f"{service}-worker", f"{service}-migrate"} <= names


def test_kafka_runs_in_kraft_mode_without_zookeeper():
    env = COMPOSE["services"]["kafka"]["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert not any("ZOOKEEPER" in key for key in env)


def test_every_service_has_its_own_database():
    init = (ROOT / "deploy/postgres/init-databases.sql").read_text()
    urls = set()
    for service in SERVICES:
        env = COMPOSE["services"][f"{service}-api"]["environment"]
        url = env[f"{service.upper()}_DATABASE_URL"]
        database = url.rsplit("/", 1)[1]
        assert f"CREATE DATABASE {database};" in init
        urls.add(url)
    assert len(urls) == len(SERVICES)


@pytest.mark.parametrize("name", sorted(n for n in COMPOSE["services"] if n.split("-")[0] in SERVICES))
def test_service_env_vars_and_command_exist_in_code(name: str):
    service, role = name.rsplit("-", 1)
    spec = COMPOSE["services"][name]
    assert spec["command"][:3] == ["python", "-m", service]
    assert spec["command"][3] == role
    importlib.import_module(f"{service}.__main__")
    fields = settings_fields(service)
    prefix = f"{service.upper()}_"
    for key in spec["environment"]:
        assert key.startswith(prefix), f"{name}: {key} lacks the service prefix"
        assert key[len(prefix):].lower() in fields, f"{name}: {key} is not a setting of {service}"
    for dependency in spec.get("depends_on", {}):
        assert dependency in COMPOSE["services"], f"{name} depends on unknown {dependency}"


def test_dockerfile_builds_from_files_that_exist():
    dockerfile = (ROOT / "deploy/Dockerfile").read_text()
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, flags=re.M):
        for path in source.split():
            assert (ROOT / path).exists(), f"Dockerfile copies missing {path}"
    for service in COMPOSE["services"].values():
        if "build" in service:
            assert (ROOT / service["build"]["dockerfile"]).exists()


def test_settings_named_in_the_readme_exist():
    readme = (ROOT / "README.md").read_text()
    named = set(re.findall(r"`((?:REFERRALS|PROVIDERS|CONTRACTS|NOTIFICATIONS|<P>)_[A-Z_]+)`", readme))
    named |= {f"NOTIFICATIONS{suffix}" for suffix in re.findall(r"`NOTIFICATIONS_SMTP_HOST`, `(_[A-Z_]+)`", readme)}
    assert len(named) > 15
    for name in named:
        prefix, field = name.split("_", 1)
        services = SERVICES if prefix == "<P>" else (prefix.lower(),)
        for service in services:
            assert field.lower() in settings_fields(service), f"README names {name}, not a setting of {service}"
