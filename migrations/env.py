"""Alembic environment, run through Flask-Migrate (`flask --app locator db ...`)."""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name:
    # Keep the application's loggers: tests run migrations in-process.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
config.set_main_option("sqlalchemy.url", db.engine.url.render_as_string(hide_password=False).replace("%", "%%"))


def render_item(type_, obj, autogen_context):
    """Write the storage type of our type decorators, so revisions never import app code."""
    from locator.models.base import UTCDateTime
    from locator.models.encrypted import ENCRYPTED_TYPES

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, ENCRYPTED_TYPES):
        return "sa.Text()"  # Fernet tokens
    return False


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=db.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty_autogenerate(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    configure_args = dict(current_app.extensions["migrate"].configure_args)
    configure_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    configure_args.setdefault("render_item", render_item)
    with db.engine.connect() as connection, foreign_keys_deferred(connection):
        context.configure(connection=connection, target_metadata=db.metadata, **configure_args)
        with context.begin_transaction():
            context.run_migrations()
            check_foreign_keys(connection)


@contextmanager
def foreign_keys_deferred(connection):
    """SQLite: foreign keys not enforced while migrating. Batch mode rebuilds a table by copying it and dropping the
    old one, and with them enforced that drop deletes or empties every row referring to it (ON DELETE CASCADE and
    SET NULL): a request's whole history, a program's levels and queue. The pragma is set outside any transaction,
    where SQLite honours it, and set back before the connection returns to the pool."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()  # whatever a failed revision left open; a finished one has committed
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def check_foreign_keys(connection) -> None:
    """What SQLite did not enforce while migrating is checked before the migration commits."""
    if connection.dialect.name == "sqlite" and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
        raise RuntimeError(f"The migration left rows referring to rows that do not exist: {broken[:10]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
