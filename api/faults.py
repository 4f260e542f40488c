"""Which failures are the system's, not the request's: a database or Temporal that cannot be reached right now
answers 503 (retry later, nothing was recorded); a value the database cannot hold answers 422.

Exceptions arrive wrapped (SQLAlchemy around asyncpg, Temporal's client around gRPC), so the whole chain of
causes is looked at.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import exc as sa
from temporalio.client import RPCTimeoutOrCancelledError
from temporalio.service import RPCError, RPCStatusCode

_UNAVAILABLE_RPC = {RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED,
                    RPCStatusCode.RESOURCE_EXHAUSTED, RPCStatusCode.UNKNOWN, RPCStatusCode.INTERNAL,
                    RPCStatusCode.ABORTED}
# asyncpg's classes by name: the driver is not imported by the API's modules.
_TRANSIENT_PG = {"PostgresConnectionError", "ConnectionDoesNotExistError", "ConnectionFailureError",
                 "CannotConnectNowError", "AdminShutdownError", "CrashShutdownError", "OperatorInterventionError",
                 "InterfaceError", "TooManyConnectionsError", "ConnectionRejectionError", "QueryCanceledError",
                 "DeadlockDetectedError", "SerializationError", "InternalClientError"}
_BAD_VALUE_PG = {"DataError", "NumericValueOutOfRangeError", "InvalidTextRepresentationError",
                 "DatetimeFieldOverflowError", "StringDataRightTruncationError", "CharacterNotInRepertoireError",
                 "UntranslatableCharacterError", "InvalidParameterValueError"}


def chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)


def _in_driver(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if "asyncpg" in tb.tb_frame.f_code.co_filename:
            return True
        tb = tb.tb_next
    return False


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def bad_value(exc: BaseException) -> bool:
    """A value the database refuses to hold (an integer past the column's range, a NUL in text)."""
    if isinstance(exc, sa.IntegrityError):
        return False
    return any(_names(e) & _BAD_VALUE_PG or isinstance(e, sa.DataError) for e in chain(exc))


def transient(exc: BaseException) -> bool:
    """The database or Temporal cannot be reached now (down, restarting, a broken pooled connection, a timeout)."""
    for e in chain(exc):
        if isinstance(e, RPCTimeoutOrCancelledError | ConnectionError | TimeoutError | sa.OperationalError):
            return True
        if isinstance(e, sa.DBAPIError) and e.connection_invalidated:
            return True
        if isinstance(e, RPCError) and e.status in _UNAVAILABLE_RPC:
            return True
        if isinstance(e, OSError) and (not isinstance(e, FileNotFoundError | PermissionError) or _in_driver(e)):
            return True  # a missing Unix socket while PostgreSQL restarts is a FileNotFoundError from the driver
        if _names(e) & _TRANSIENT_PG:
            return True
    return False
