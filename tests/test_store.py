"""The newsroom's database: users with hashed passwords and roles, an append-only history
of corrections with reverts, migrations run once by many processes at once, and the
`timeline users` and `timeline corrections` commands; on SQLite and on PostgreSQL."""
from __future__ import annotations

import multiprocessing
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from timeline import frame as fr
from timeline import store
from timeline.cli import main
from timeline.errors import OverridesError, StoreError
from timeline.store.users import secret_key


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    """The URL of a new, empty database: an SQLite file, or a database of its own on the
    test session's PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'timeline.db'}"
    server = request.getfixturevalue("postgres_url")
    name = f"t{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def engine(database):
    return store.open_database(database)


def test_passwords_are_kept_hashed_and_checked(engine):
    store.add_user(engine, "ana", "editor", "correct horse")
    assert store.check_password(engine, "ana", "correct horse") == store.User("ana", "editor")
    assert store.check_password(engine, "ana", "wrong horse") is None
    assert store.check_password(engine, "nobody", "correct horse") is None
    with engine.connect() as c:
        kept = c.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert "correct horse" not in kept and kept.startswith("scrypt:")


@pytest.mark.parametrize("name, role, password, problem", [
    ("ana", "chief", "long enough", "role 'chief'"), ("ana", "editor", "short", "at least 8"),
    ("", "editor", "long enough", "1 to 100"), ("a\nb", "editor", "long enough", "printable"),
])
def test_a_bad_user_is_refused_with_the_reason(engine, name, role, password, problem):
    with pytest.raises(StoreError, match=problem):
        store.add_user(engine, name, role, password)
    assert store.list_users(engine) == []


def test_a_name_is_taken_once_and_roles_rank(engine):
    store.add_user(engine, "ana", "admin", "long enough")
    with pytest.raises(StoreError, match="already exists"):
        store.add_user(engine, "ana", "reader", "long enough")
    admin = store.get_user(engine, "ana")
    assert admin.may("editor") and admin.may("reader") and not store.User("r", "reader").may("editor")
    store.remove_user(engine, "ana")
    assert store.count_users(engine) == 0
    with pytest.raises(StoreError, match="no such user"):
        store.remove_user(engine, "ana")


def test_the_history_keeps_every_correction_and_a_revert_is_one_more(engine):
    h = store.History(engine, "seeds")
    first = h.record("ev1", "title", "Belarus frees 52", who="ana", old_value="Belarus freed 52 prisoners",
                     reason="headline style")
    second = h.record("ev1", "title", "Belarus frees 52 prisoners", who="ben", old_value="Belarus frees 52")
    h.record("ev2", "date", "2025-09-10", who="ana")
    assert [(o.event_id, o.field, o.value) for o in h.current()] == [
        ("ev1", "title", "Belarus frees 52 prisoners"), ("ev2", "date", "2025-09-10")]
    undo = h.revert(second.id, who="ana", reason="ben was wrong")
    assert (undo.value, undo.old_value, undo.reverts) == ("Belarus frees 52", "Belarus frees 52 prisoners", second.id)
    assert {(o.event_id, o.value) for o in h.current()} == {("ev1", "Belarus frees 52"), ("ev2", "2025-09-10")}
    back = h.revert(first.id, who="ana")  # before the first correction: what the articles say
    assert back.value is None and "revert of correction" in back.reason
    assert [(o.event_id, o.field) for o in h.current()] == [("ev2", "date")]
    assert [c.id for c in h.log()] == [back.id, undo.id, 3, second.id, first.id]  # newest first, nothing lost
    assert [c.who for c in h.log(event_id="ev1")] == ["ana", "ana", "ben", "ana"]
    assert store.History(engine, "other story").log() == []


def test_a_correction_is_checked_as_an_overrides_file_line_is(engine):
    h = store.History(engine, "seeds")
    with pytest.raises(OverridesError, match="not a TIMEX3 date"):
        h.record("ev1", "date", "next Tuesday", who="ana")
    with pytest.raises(OverridesError, match="unknown field"):
        h.record("ev1", "colour", "red", who="ana")
    with pytest.raises(StoreError, match="at most 500"):
        h.record("ev1", "title", "x" * 501, who="ana")
    with pytest.raises(StoreError, match="NUL"):
        h.record("ev1", "title", "a\x00b", who="ana")
    with pytest.raises(StoreError, match="no correction 99"):
        h.revert(99, who="ana")
    assert h.log() == []


def test_the_current_corrections_apply_to_a_frame_like_an_overrides_file(engine, tmp_path):
    from conftest import event_record

    frame = fr.from_records([event_record(event_id="ev1"), event_record(event_id="ev2", title="Second")])
    h = store.History(engine, "seeds")
    h.record("ev1", "place", "Medininkai (54.539, 25.650)", who="ana")
    h.record("ev2", "drop", True, who="ana")
    corrected, warnings = fr.apply_overrides(frame, h.current())
    assert warnings == [] and corrected["event_id"].tolist() == ["ev1"]
    assert (corrected["places"].iloc[0][0], corrected["lat"].iloc[0]) == ("Medininkai", 54.539)


def _open(url: str) -> int:
    engine = store.open_database(url)
    with engine.connect() as c:
        return int(c.execute(text("SELECT count(*) FROM alembic_version")).scalar_one())


def test_many_processes_opening_a_new_database_at_once_migrate_it_once(database):
    url = database
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert pool.map(_open, [url] * 4) == [1, 1, 1, 1]
    engine = store.open_database(url)
    assert secret_key(engine) == secret_key(engine) and len(secret_key(engine)) >= 40


def test_a_database_that_cannot_be_opened_is_one_line_naming_it(tmp_path):
    with pytest.raises(StoreError, match="not a database URL"):
        store.open_database("not a url")
    with pytest.raises(StoreError, match="nowhere"):
        store.open_database(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}")
    with pytest.raises(StoreError, match="cannot open"):
        store.open_database("postgresql+nosuchdriver://u:secret@localhost/db")


# --------------------------------------------------------------------------- the commands

def test_users_and_corrections_from_the_command_line(tmp_path, database):
    run = CliRunner().invoke
    folder = ["--corpus", str(tmp_path), "--database", database]
    added = run(main, ["users", "add", "ana", "--role", "editor", *folder], input="a long password\n")
    assert added.exit_code == 0, added.output
    short = run(main, ["users", "add", "bob", "--role", "editor", *folder], input="short\n")
    assert short.exit_code == 1 and short.output.count("\n") == 1 and "at least 8" in short.output
    assert run(main, ["users", "list", *folder]).output == "ana\teditor\n"
    assert run(main, ["users", "role", "ana", "--role", "admin", *folder]).exit_code == 0
    assert run(main, ["users", "list", *folder]).output == "ana\tadmin\n"
    assert run(main, ["users", "password", "ana", *folder], input="another long one\n").exit_code == 0
    engine = store.open_database(database)
    assert store.check_password(engine, "ana", "a long password") is None
    assert store.check_password(engine, "ana", "another long one").epoch == 1  # her sessions ended
    unknown = run(main, ["users", "role", "bob", "--role", "reader", *folder])
    assert unknown.exit_code == 1 and "no such user" in unknown.output
    h = store.History(store.open_database(database), tmp_path.name)
    made = h.record("ev1", "title", "Belarus frees 52", who="ana", old_value="Old title", reason="style")
    log = run(main, ["corrections", "log", *folder])
    assert log.exit_code == 0 and "ev1\ttitle: 'Old title' -> 'Belarus frees 52'  # style" in log.output
    reverted = run(main, ["corrections", "revert", str(made.id), "--who", "ana", *folder])
    assert reverted.exit_code == 0 and "what the articles say" in reverted.output
    h.record("ev2", "category", "diplomacy", who="ana")
    out = tmp_path / "fixes.csv"
    assert run(main, ["corrections", "export", "-o", str(out), *folder]).exit_code == 0
    assert out.read_text() == "event_id,field,value\nev2,category,diplomacy\n"
    assert [(o.event_id, o.field, o.value) for o in fr.load_overrides(out)] == [("ev2", "category", "diplomacy")]
    missing = run(main, ["corrections", "revert", "999", "--who", "ana", *folder])
    assert missing.exit_code == 1 and "no correction 999" in missing.output


def test_a_user_added_for_a_corpus_folder_is_one_the_dashboard_on_it_knows(tmp_path, monkeypatch):
    from timeline.synth import synthetic_frame
    from timeline.webapp import create_app

    monkeypatch.delenv(store.DATABASE_ENV, raising=False)
    corpus = tmp_path / "story"
    corpus.mkdir()
    added = CliRunner().invoke(main, ["users", "add", "ana", "--role", "editor", "--corpus", str(corpus)],
                               input="a long password\n")
    assert added.exit_code == 0, added.output
    app = create_app([corpus], frame=synthetic_frame(10))
    assert app.access.mode == "sign-in" and app.corpus.history.story == "story"


def test_a_published_version_keeps_its_frame_and_numbers_are_never_shared(engine):
    from concurrent.futures import ThreadPoolExecutor

    from conftest import event_record

    frame = fr.from_records([event_record(event_id="ev1"), event_record(event_id="ev2", title="Second")])
    v = store.Versions(engine, "seeds")
    first = v.publish(frame, who="ana", note="as in the 12 September article")
    assert (first.number, first.events, first.who) == (1, 2, "ana")
    import pandas as pd

    pd.testing.assert_frame_equal(store.Versions(engine, "seeds").frame(1), fr.validate(frame))  # another worker
    with ThreadPoolExecutor(6) as pool:
        numbers = list(pool.map(lambda i: v.publish(frame.head(1), who=f"editor {i}").number, range(6)))
    assert sorted(numbers) == [2, 3, 4, 5, 6, 7]
    assert [x.number for x in v.list()] == [7, 6, 5, 4, 3, 2, 1] and v.list()[-1].note.startswith("as in")
    assert v.frame(99) is None and store.Versions(engine, "other").list() == []
    with pytest.raises(StoreError, match="at most"):
        v.publish(frame, who="ana", note="x" * 1_001)


def test_a_database_of_an_older_schema_is_migrated_when_opened(database):
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from timeline.store.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    old = create_engine(database)
    with old.begin() as c:
        config.attributes["connection"] = c
        command.upgrade(config, "0001")
        c.execute(text("INSERT INTO settings (key, value) VALUES ('kept', 'yes')"))
    old.dispose()
    engine = store.open_database(database)
    with engine.connect() as c:
        head = ScriptDirectory.from_config(config).get_current_head()
        assert head > "0001" and c.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
        assert c.execute(text("SELECT value FROM settings WHERE key = 'kept'")).scalar_one() == "yes"
    assert store.Versions(engine, "s").list() == []
