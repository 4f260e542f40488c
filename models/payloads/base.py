"""The base of every payload a workflow carries or an activity takes: frozen, strict, pure pydantic.

Workflow modules import payloads inside the sandbox, so this package imports only pydantic, the standard library
and `vocabulary` (and `models/__init__.py` stays empty). Payloads carry ids and codes, never an ID number; free
text a worker types (notes, reasons) travels encrypted by the payload codec (infra/temporal.py).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
DivisionCode = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
ItemCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,32}$")]


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
