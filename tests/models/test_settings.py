"""Settings refuse the laptop-only secrets outside development, naming what is missing (never its value)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.settings import DEV_SECRETS, Settings

OWN = {"token_secret": "a-real-token-secret-of-forty-bytes-00000", "id_hash_key": "a-real-id-hash-key-of-32-bytes-0",
       "id_cipher_key": "cmVhbC1pZC1jaXBoZXIta2V5LTMyLWJ5dGVzLSEhISE=",
       "payload_key": "cmVhbC1wYXlsb2FkLWtleS0zMi1ieXRlcy1sb25nISE=",
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


@pytest.mark.parametrize("name", ["token_secret", "id_hash_key"])
def test_production_refuses_a_secret_shorter_than_32_bytes(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(environment="production", **{**OWN, name: "s" * 31})
    assert f"{name.upper()} must be at least 32 bytes (it is 31)" in str(refused.value)
    assert "s" * 31 not in str(refused.value)  # never the value itself
    assert Settings(environment="production", **{**OWN, name: "s" * 32})
    # Counted in bytes: 11 Chinese characters are 33 bytes in UTF-8.
    assert Settings(environment="production", **{**OWN, name: "民" * 11})


@pytest.mark.parametrize("name", ["id_cipher_key", "payload_key"])
def test_production_refuses_an_encryption_key_that_is_not_32_bytes(name: str) -> None:
    for bad in ("not base64 at all!", "c2hvcnQta2V5"):  # not base64; 9 bytes
        with pytest.raises(ValidationError, match=f"{name.upper()} must be 32 bytes in url-safe base64"):
            Settings(environment="production", **{**OWN, name: bad})


def test_development_keeps_working_with_a_short_secret() -> None:
    assert Settings(environment="development", token_secret="short").token_secret == "short"
