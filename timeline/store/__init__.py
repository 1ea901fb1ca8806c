"""The newsroom's database: users with roles, and every correction with who, when and why.

    from timeline.store import open_database, History, add_user
    engine = open_database("sqlite:///desk.db")       # migrated to the current schema
    add_user(engine, "ana", "editor", "a long password")
    history = History(engine, "seeds")                 # one story's corrections
    history.record("3f9c...", "title", "Belarus frees 52", who="ana", reason="headline")
    history.current()                                  # the overrides to apply to its frame

Modules: `db` (the engine, the tables, migrations with Alembic), `users` (roles, hashed
passwords, the session key, failed sign-ins), `history` (append-only corrections,
reverts), `versions` (a story's frame frozen as published version N), `stories` (the
stories editors start, each with its own address), `articles` (who added which article
file to a story, and when).
"""
from timeline.store.articles import ArticleFile, Articles
from timeline.store.db import DATABASE_ENV, DATABASE_NAME, database_url, open_database
from timeline.store.history import Correction, History
from timeline.store.stories import Story, add_story, check_name, get_story, list_stories
from timeline.store.versions import Version, Versions
from timeline.store.users import (
    ROLES, User, add_user, check_password, count_users, get_user, list_users, remove_user,
)

__all__ = ["ArticleFile", "Articles", "DATABASE_ENV", "DATABASE_NAME", "ROLES", "Correction", "History", "User", "add_user",
           "check_password", "count_users", "database_url", "get_user", "list_users", "open_database",
           "remove_user", "Story", "add_story", "check_name", "get_story", "list_stories", "Version", "Versions"]
