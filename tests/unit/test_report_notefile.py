"""Regenerating a note never overwrites what the clinician wrote in it."""

from __future__ import annotations

from pathlib import Path

from p2p_assist.report.notefile import note_versions, save_note


def test_first_note_is_written_and_an_unchanged_one_is_left_alone(tmp_path: Path) -> None:
    first = save_note(tmp_path, "# Note\n")
    again = save_note(tmp_path, "# Note\n")
    assert first.action == "written" and again.action == "unchanged"
    assert note_versions(tmp_path) == [tmp_path / "note.md"]


def test_an_unedited_note_is_replaced_by_the_new_text(tmp_path: Path) -> None:
    save_note(tmp_path, "# Note\nold\n")
    saved = save_note(tmp_path, "# Note\nnew\n")
    assert saved.action == "written" and saved.path == tmp_path / "note.md"
    assert "new" in saved.path.read_text() and "old" not in saved.path.read_text()


def test_a_hand_edited_note_is_kept_and_the_new_text_becomes_a_new_version(
    tmp_path: Path,
) -> None:
    save_note(tmp_path, "# Note\n")
    edited = (tmp_path / "note.md").read_text().replace("# Note", "# Note\nMy own words.")
    (tmp_path / "note.md").write_text(edited)
    saved = save_note(tmp_path, "# Note\nregenerated\n")
    assert saved.action == "new version" and saved.path == tmp_path / "note-2.md"
    assert (tmp_path / "note.md").read_text() == edited
    # The generated version is ours again: a later regeneration replaces it, not note.md.
    assert save_note(tmp_path, "# Note\nthird\n").path == tmp_path / "note-2.md"
    assert note_versions(tmp_path) == [tmp_path / "note.md", tmp_path / "note-2.md"]


def test_a_note_whose_marker_was_removed_counts_as_edited(tmp_path: Path) -> None:
    save_note(tmp_path, "# Note\n")
    (tmp_path / "note.md").write_text("# Note\n")  # same words, marker gone
    assert save_note(tmp_path, "# Note\nnew\n").action == "new version"
    (tmp_path / "note-2.md").write_text("edited too")
    assert save_note(tmp_path, "# Note\nnewer\n").path == tmp_path / "note-3.md"
