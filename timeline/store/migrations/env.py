"""Alembic's environment: migrations run on the connection `timeline.store.db` hands over
(`config.attributes["connection"]`), or on `TIMELINE_DATABASE_URL` from the alembic CLI."""
from alembic import context
from sqlalchemy import create_engine

from timeline.store.db import DATABASE_ENV, metadata

connection = context.config.attributes.get("connection")
if connection is not None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
else:
    import os

    engine = create_engine(os.environ[DATABASE_ENV])
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        context.run_migrations()
