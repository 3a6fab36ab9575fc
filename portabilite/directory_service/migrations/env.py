"""Alembic's environment for the directory server's schema (``portabilite directory serve``
runs ``upgrade head`` under an advisory lock, so several instances may start at once)."""

from alembic import context
from sqlalchemy import create_engine

url = context.config.get_main_option("sqlalchemy.url") or ""
connectable = context.config.attributes.get("connection")


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()


if connectable is not None:
    run(connectable)
else:
    with create_engine(url).connect() as connection:
        run(connection)
