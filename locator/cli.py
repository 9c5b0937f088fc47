"""`flask --app locator ...` commands."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from locator import crypto, notify
from locator.directory import seed as seed_data
from locator.directory import synth
from locator.extensions import db
from locator.models import Base, Program
from locator.models.encrypted import reencrypt_all
from locator.models.staff import ROLES
from locator.notify.outbox import deliver
from locator.staff import accounts
from locator.staff.passwords import PasswordPolicyError

seed_cli = AppGroup("seed", help="The demonstration network and taxonomy.")
programs_cli = AppGroup("programs", help="The program directory: synthetic data, imports and exports.")
outbox_cli = AppGroup("outbox", help="Notifications waiting to be delivered.")
keys_cli = AppGroup("keys", help="The keys that encrypt personal fields (LOCATOR_FIELD_KEYS).")
staff_cli = AppGroup("staff", help="Staff accounts.")


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


@outbox_cli.command("send")
@click.option("--limit", type=click.IntRange(1, 100_000), default=500, show_default=True)
def outbox_send(limit: int) -> None:
    """Deliver the notifications that are due (run it every minute from cron or a systemd timer)."""
    report = deliver(db.session, notify.transport(), limit=limit)
    click.echo(f"{report.sent} sent, {report.retrying} to retry later, {report.failed} failed for good.")
    if report.failed:
        raise SystemExit(1)


@keys_cli.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every stored personal field with the first key of LOCATOR_FIELD_KEYS.

    Rotation: put the new key first (LOCATOR_FIELD_KEYS=new,old), restart, run this, then drop the
    old key. It runs in one transaction: a failure leaves everything as it was.
    """
    try:
        changed = reencrypt_all(db.session, Base.metadata, crypto.cipher())
    except crypto.DecryptionError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}; nothing was changed") from exc
    db.session.commit()
    click.echo(f"Re-encrypted {changed} values with the newest key.")


@staff_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--program", "slugs", multiple=True, help="A program they cover (repeat for more).")
@click.option("--name", default="", help="Their name, as colleagues see it.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
def staff_create(email: str, role: str, slugs: tuple[str, ...], name: str, password_stdin: bool) -> None:
    """Create a staff account (the first admin, for one)."""
    programs = list(db.session.scalars(select(Program).where(Program.slug.in_(slugs))))
    missing = set(slugs) - {p.slug for p in programs}
    if missing:
        raise click.ClickException(f"no program with slug {', '.join(sorted(missing))}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create(db.session, email, role, programs, name, password)
    except (accounts.AccountError, PasswordPolicyError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}" + (f" for {', '.join(slugs)}." if slugs else "."))


def init_app(app: Flask) -> None:
    for group in (seed_cli, programs_cli, outbox_cli, keys_cli, staff_cli):
        app.cli.add_command(group)
