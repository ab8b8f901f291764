"""Sound keys: words a recogniser confuses share a key, or come close; words that only share
letters do not."""

from __future__ import annotations

import pytest

from p2p_assist.basics.phonetic import sound_key, sound_kinds, sound_similarities


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("interqual", "ANTARKAL"),
        ("InterQual", "ANTARKAL"),
        ("terkel", "TARKAL"),
        ("therapy", "0ARAPA"),  # th, and a y that ends a word is a vowel
        ("knee", "NA"),  # a k before n is not said
        ("night", "NAT"),  # nor a gh before a t
        ("school", "SKAL"),
        ("cell", "SAL"),
        ("nation", "NAXAN"),
        ("make", "MAK"),  # an e that ends a word after a consonant is not said
        ("mcg", "MK"),  # c and g both sound k: one sound
        ("café", "KAF"),  # accents are folded
        ("47291", ""),
        ("환자", ""),  # no Latin letters: found by spelling only
    ],
)
def test_a_word_s_key_is_its_consonant_sounds_with_its_vowels_marked(word: str, key: str) -> None:
    assert sound_key(word) == key


def test_words_spelled_apart_that_sound_alike_share_a_key() -> None:
    assert sound_key("fysician") == sound_key("physician")
    assert sound_key("kwalify") == sound_key("qualify")
    assert sound_key("cristeen") == sound_key("christine")


def test_each_sound_becomes_its_kind() -> None:
    assert sound_kinds("ANTARKAL") == sound_kinds("ANTARPAL") == "ANPALPAL"
    assert sound_kinds("ANTARNAL") == "ANPALNAL"


def score(said: str, heard: str) -> float:
    return float(sound_similarities(sound_key(said), [sound_key(heard)])[0])


def test_a_stop_heard_as_another_stop_costs_less_than_as_a_nasal() -> None:
    assert score("interqual", "interpol") > score("interqual", "internal")


def test_a_lost_first_syllable_costs_little() -> None:
    assert score("interqual", "terkel") > 90 > score("terkel", "interqual")


def test_the_number_of_syllables_counts() -> None:
    """Without the vowels, "trial" (TRL) was one sound from "terkel" (TRKL)."""
    assert score("terkel", "trial") < 85 and score("terkel", "drug") < 85


def test_every_key_is_scored_at_once() -> None:
    keys = [sound_key(word) for word in ("terkel", "interpol", "cat")]
    scores = sound_similarities(sound_key("interqual"), keys)
    assert scores.shape == (3,) and scores[2] < 60 < scores[1]
    assert sound_similarities("ANTARKAL", []).shape == (0,)
