"""The base of every file-backed model: unknown fields are errors, instances are frozen.

A typo in a hand-edited file (or in code writing a record) fails loudly instead of being
silently ignored.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
