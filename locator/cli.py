"""`flask --app locator ...` commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from locator.directory import seed as seed_data
from locator.directory import synth
from locator.extensions import db
from locator.models import Program

seed_cli = AppGroup("seed", help="The demonstration network and taxonomy.")
programs_cli = AppGroup("programs", help="The program directory: synthetic data, imports and exports.")


def _summary(counts) -> str:
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "updated", "unchanged"))


@seed_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has programs.")
def seed_load(if_empty: bool) -> None:
    """Load (or update) the taxonomy and the demonstration programs from seed/."""
    if if_empty and db.session.scalar(select(func.count()).select_from(Program)):
        click.echo("Programs already present; seed not loaded.")
        return
    try:
        result = seed_data.load(db.session)
    except seed_data.SeedError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    for part, counts in result.items():
        click.echo(f"{part}: {_summary(counts)}")


@programs_cli.command("synth")
@click.option("--count", type=click.IntRange(1, 5_000_000), required=True, help="How many programs to add.")
@click.option("--seed", "rng_seed", type=int, default=1, show_default=True, help="Random seed.")
def programs_synth(count: int, rng_seed: int) -> None:
    """Add COUNT synthetic programs (marked as such) over real US ZIP centroids, for benchmarks."""
    seed_data.load_attributes(db.session, seed_data.SEED_DIR / "attributes.yaml")
    synth.synthesize(db.session, count, rng_seed)
    db.session.commit()
    click.echo(f"Added {count} synthetic programs.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_cli)
    app.cli.add_command(programs_cli)
