"""Load a TOML file into a pydantic model, turning every failure into one clear line.

Case files, prompt files and mock-call scripts are edited by hand; a typo must
come back as `file: field: problem — fix`, never as a traceback.
"""

from __future__ import annotations

import tomllib
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from rapidfuzz import process

from p2p_assist.basics.errors import UserError, file_error

M = TypeVar("M", bound=BaseModel)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise file_error(path, "file not found", "check the path or create it") from None
    except IsADirectoryError:
        raise file_error(path, "is a folder, not a file", "give the path of a .toml file") from None
    except OSError as error:
        raise file_error(path, f"cannot read ({error.strerror})", "check permissions") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise file_error(
            path, f"not UTF-8 text (byte {error.start})", "save the file as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise file_error(path, f"not valid TOML ({error})", "fix the syntax at that line") from None
    except RecursionError:
        # tomllib recurses once per level of nesting; no case or prompt file needs more than a few.
        raise file_error(
            path, "arrays or tables nested too deeply to read", "flatten the nesting"
        ) from None


def load_toml_model(path: Path, model: type[M]) -> M:
    data = read_toml(path)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise validation_error(path, error, model) from None


def validation_error(path: Path, error: ValidationError, model: type[BaseModel]) -> UserError:
    """Describe the first validation problem (the user fixes one thing at a time)."""
    first = error.errors()[0]
    field = _dotted(first["loc"]) or "(top level)"
    kind = first["type"]
    if kind == "extra_forbidden":
        name = str(first["loc"][-1])
        guess = process.extractOne(name, sorted(_field_names(model)), score_cutoff=60)
        hint = f"did you mean '{guess[0]}'?" if guess else "remove it"
        return file_error(path, "unknown field", hint, field)
    if kind == "missing":
        return file_error(path, "required field is missing", "add it", field)
    if kind == "value_error":  # our own validators' words, which may quote the user's text
        words = (first.get("ctx") or {}).get("error") or first["msg"]
        return file_error(path, str(words), "fix the value", field)
    return file_error(path, first["msg"].lower(), "fix the value", field)


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()
    stack = [model]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            names.add(info.alias or name)
            stack.extend(_nested_models(info.annotation))
    return names


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return []
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_nested_models(arg))
    return found
