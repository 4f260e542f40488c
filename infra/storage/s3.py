"""Objects in an S3-compatible bucket (SeaweedFS, MinIO, a cloud's object storage) through boto3.

boto3's client is thread-safe and blocking: each call runs in the default thread pool. Path-style addressing
works with every S3-compatible server on a plain host name (`http://objectstore:8333`). A connection fault or
a 5xx after botocore's own retries is `StoreUnavailable`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from infra.storage import ObjectMissing, StoreUnavailable, check_key
from models.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")
_MISSING = {"NoSuchKey", "404", "NotFound"}


class S3Store:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client, self.bucket = client, bucket
        self.description = f"s3:{client.meta.endpoint_url}/{bucket}"

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Store:
        client = boto3.client(
            "s3", endpoint_url=settings.s3_endpoint_url, region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id, aws_secret_access_key=settings.s3_secret_access_key,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3, "mode": "standard"},
                          connect_timeout=5, read_timeout=60, max_pool_connections=16),
        )
        return cls(client, settings.s3_bucket)

    async def _call(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        try:
            return await asyncio.to_thread(fn, **kwargs)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _MISSING:
                raise ObjectMissing(kwargs.get("Key", "")) from None
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
            if status >= 500 or status in (0, 429):
                raise StoreUnavailable(f"object store answered {code or status}") from exc
            raise
        except BotoCoreError as exc:  # connection refused, timeouts, a dropped connection
            raise StoreUnavailable(f"object store unreachable: {type(exc).__name__}") from exc

    async def prepare(self) -> None:
        """Create the bucket if it is not there (idempotent; run at start-up)."""
        try:
            await self._call(self._client.head_bucket, Bucket=self.bucket)
        except ObjectMissing:
            try:
                await self._call(self._client.create_bucket, Bucket=self.bucket)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

    async def put(self, key: str, data: bytes) -> None:
        await self._call(self._client.put_object, Bucket=self.bucket, Key=check_key(key), Body=data)

    async def get(self, key: str) -> bytes:
        def read(Key: str) -> bytes:  # named like boto3's, so _call can name a missing key
            return self._client.get_object(Bucket=self.bucket, Key=Key)["Body"].read()

        return await self._call(read, Key=check_key(key))

    async def delete(self, key: str) -> None:
        await self._call(self._client.delete_object, Bucket=self.bucket, Key=check_key(key))

    async def exists(self, key: str) -> bool:
        try:
            await self._call(self._client.head_object, Bucket=self.bucket, Key=check_key(key))
        except ObjectMissing:
            return False
        return True

    async def list_keys(self, prefix: str = "") -> AsyncIterator[str]:
        token: str | None = None
        while True:
            args: dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix, "MaxKeys": 1000}
            if token:
                args["ContinuationToken"] = token
            page = await self._call(self._client.list_objects_v2, **args)
            for item in page.get("Contents", []):
                yield item["Key"]
            if not page.get("IsTruncated"):
                return
            token = page.get("NextContinuationToken")

    async def clean_partials(self, older_than_seconds: float) -> int:
        return 0  # a PUT is atomic: S3 never shows half an object

    async def close(self) -> None:
        await asyncio.to_thread(self._client.close)
