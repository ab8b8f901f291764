"""The cepstral mean of a stretch of audio, measured by pocketsphinx's own front end.

The decoder normalises features by subtracting a cepstral mean. Measuring it here, in a
decoder that never searches, keeps the searching decoder on its ordinary streaming path:
pocketsphinx 5.1 corrupts its frame queue (and can crash) when one decoder switches from a
whole-utterance pass back to streaming. This decoder carries only the acoustic front end
and the small phone-loop model that a search needs to exist (about 7 MB, 80 ms to load).
"""

from __future__ import annotations

from pathlib import Path

import pocketsphinx

from p2p_assist.basics.audio_format import SAMPLE_RATE

_PHONE_LOOP = Path(pocketsphinx.get_model_path()) / "en-us" / "en-us-phone.lm.bin"


class CepstralMeter:
    def __init__(self) -> None:
        self._decoder = pocketsphinx.Decoder(
            samprate=SAMPLE_RATE, loglevel="ERROR", lm=None, dict=None, allphone=str(_PHONE_LOOP)
        )

    def mean(self, pcm: bytes) -> str:
        """The mean of `pcm` (16 kHz mono s16le) as pocketsphinx's `set_cmn` takes it."""
        self._decoder.start_utt()
        self._decoder.process_raw(pcm, no_search=True, full_utt=True)
        self._decoder.end_utt()
        return str(self._decoder.get_cmn(False))
