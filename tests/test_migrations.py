"""`upgrade head` builds exactly the models' schema; every revision goes down and back up."""

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from locator.extensions import db
from tests.conftest import make_app
from tests.databases import create_database, drop_database


@pytest.fixture
def empty_app(tmp_path):
    url = create_database(tmp_path, prefix="locator_migrations")
    app = make_app(url)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_database(url)


def _schema_diff(app) -> list:
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_head_matches_the_models(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
    assert _schema_diff(empty_app) == []
    assert _tables(empty_app) == set(db.metadata.tables)


def test_downgrade_to_base_and_upgrade_again(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
    assert _tables(empty_app) == set()
    with empty_app.app_context():
        flask_migrate.upgrade()
    assert _schema_diff(empty_app) == []


def test_each_revision_goes_down_and_up(empty_app):
    from alembic.script import ScriptDirectory

    with empty_app.app_context():
        config = empty_app.extensions["migrate"].migrate.get_config()
        revisions = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
        for revision in revisions:
            flask_migrate.upgrade(revision=revision.revision)
            flask_migrate.downgrade(revision=revision.down_revision or "base")
            flask_migrate.upgrade(revision=revision.revision)
    assert _schema_diff(empty_app) == []
