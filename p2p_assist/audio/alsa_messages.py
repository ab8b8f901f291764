"""ALSA's own messages kept off the screen.

libasound prints its complaints straight to the process's stderr — "ALSA lib pcm.c:8570:
(snd_pcm_recover) underrun occurred" whenever the sound server is a moment late, several at
each stream start through PulseAudio — and the TUI draws on that same stderr, so each line
scribbles over the screen. PortAudio already turns what matters into errors it raises, so the
messages are dropped: one handler for the whole process, installed before a stream opens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

# ALSA's handler is variadic (file, line, function, err, fmt, ...); the fixed arguments are
# enough for a handler that ignores them all.
_Handler = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)


def _ignore(file: bytes, line: int, function: bytes, err: int, fmt: bytes) -> None:
    return None


_QUIET = _Handler(_ignore)  # held for the process's life: ALSA keeps the pointer


@functools.cache
def quiet_alsa() -> None:
    """Drop ALSA's messages from now on; without ALSA (another system) nothing prints."""
    name = ctypes.util.find_library("asound")
    if name is None:
        return
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return
    library.snd_lib_error_set_handler(_QUIET)
