"""The README stays true: its Python examples run and its schema table is the code's."""
import doctest
from pathlib import Path

from timeline.schema import schema_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_examples_run(monkeypatch):
    monkeypatch.chdir(README.parent)  # the examples use paths relative to the repository
    failures, tried = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert tried >= 4 and failures == 0


def test_the_readme_schema_table_is_the_one_in_the_code():
    assert schema_markdown().strip() in README.read_text(encoding="utf-8")
