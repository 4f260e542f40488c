"""Settings refuse the laptop-only secrets outside development, naming what is missing (never its value)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.settings import DEV_SECRETS, Settings

OWN = {"token_secret": "a-real-secret", "id_hash_key": "a-real-hash-key",
       "id_cipher_key": "cmVhbC1pZC1jaXBoZXIta2V5LTMyLWJ5dGVzLSEhISE=",
       "payload_key": "cmVhbC1wYXlsb2FkLWtleS0zMi1ieXRlcy1sb25nIQ==",
       "document_keys": {"2026a": "cmVhbC1kb2N1bWVudC1rZWstMzItYnl0ZXMtbG9uZyE="}, "document_key_id": "2026a"}


def test_development_runs_on_the_dev_secrets() -> None:
    assert Settings(environment="development").token_secret == DEV_SECRETS["token_secret"]


def test_production_refuses_each_dev_secret_by_name() -> None:
    for name in DEV_SECRETS:
        given = {k: v for k, v in OWN.items() if k != name}
        with pytest.raises(ValidationError) as refused:
            Settings(environment="production", **given)
        assert name.upper() in str(refused.value)
        assert str(DEV_SECRETS[name]) not in str(refused.value)


def test_production_refuses_the_dev_document_key_even_beside_its_own() -> None:
    keys = {**OWN["document_keys"], **DEV_SECRETS["document_keys"]}  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="DOCUMENT_KEYS"):
        Settings(environment="production", **{**OWN, "document_keys": keys})


def test_production_starts_with_its_own_secrets() -> None:
    assert Settings(environment="production", **OWN).payload_key == OWN["payload_key"]
