"""The README's "Who may do what" table is the policy's own (engine.policy.table()), not a copy kept by hand."""
from pathlib import Path

from engine import policy

README = Path(__file__).resolve().parents[2] / "README.md"
BEGIN, END = "<!-- policy table: begin -->", "<!-- policy table: end -->"


def policy_table() -> str:
    """The table as the README shows it."""
    rows = [f"| `{act}` | {what} | {who} |" for act, what, who in policy.table()]
    return "\n".join(["| act | 操作 | 谁可以 |", "|---|---|---|", *rows])


def test_the_readme_shows_the_policy_as_it_is():
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "README.md has lost its policy table markers"
    shown = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert shown == policy_table(), (
        "README.md's “Who may do what” table differs from engine/policy.py; replace the lines between the markers "
        "with:\n" + policy_table())
