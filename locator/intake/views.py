"""`/intake`: the form, and the confirmation shown once the request is committed."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale

from locator.config import current_settings
from locator.extensions import csrf, db, limiter
from locator.geo import zip_place
from locator.intake import bp, tickets
from locator.intake.forms import IntakeForm
from locator.intake.operations import Submission, submit_once
from locator.models import Program, utcnow
from locator.search.service import program_by_slug
from locator.taxonomy import LEVELS


def _chosen_program(slug: str | None) -> Program | None:
    return program_by_slug(db.session, slug) if slug else None


def _render_form(form: IntakeForm, program: Program | None, status: int = 200, **context):
    if tickets.read(current_settings().secret_key, form.ticket.data) is None:
        form.ticket.data = tickets.issue(current_settings().secret_key)
    response = current_app.make_response(
        (render_template("intake/form.html", form=form, program=program, **context), status)
    )
    # Kept in the browser's own history (so Back returns to the form as typed), never in shared caches.
    response.headers["Cache-Control"] = "private, max-age=0"
    return response


def _too_many_requests(_limit):
    form = IntakeForm()
    return _render_form(form, _chosen_program(form.program.data), 429, rate_limited=True)


@bp.get("/intake")
def form():
    program = _chosen_program(request.args.get("program", "", type=str)[:120])
    level = request.args.get("level", "", type=str)
    form = IntakeForm(
        formdata=None,
        data={"program": program.slug if program else "", "levels": [level] if level in LEVELS else []},
    )
    return _render_form(form, program, unknown_program=bool(request.args.get("program")) and program is None)


@bp.post("/intake")
@csrf.exempt  # the form checks its own token, so an expired one re-renders the answers instead of an error page
@limiter.limit(
    lambda: current_settings().intake_rate_limit,
    methods=["POST"],
    exempt_when=lambda: not current_settings().intake_rate_limit,
    on_breach=_too_many_requests,
)
def submit_form():
    form = IntakeForm()
    if not form.validate():
        return _render_form(form, _chosen_program(form.program.data), 400, session_expired="csrf_token" in form.errors)

    submission = _submission(form)
    # Its notices go out once the response has (locator.notify).
    intake, created = submit_once(db.session, submission, utcnow(), current_settings())
    target_minutes = current_settings().contact_target(intake.urgency)
    response = current_app.make_response(
        render_template("intake/confirmation.html", intake=intake, created=created, target_minutes=target_minutes)
    )
    response.headers["Cache-Control"] = "no-store"  # the reference is not kept on a shared device
    return response


def _submission(form: IntakeForm) -> Submission:
    settings = current_settings()
    ticket = tickets.read(settings.secret_key, form.ticket.data)
    review = []
    if form.website.data:
        review.append("honeypot")
    if ticket is None:
        review.append("no_ticket")  # without its ticket a form cannot be recognised when sent again
    elif (utcnow() - ticket.issued_at).total_seconds() < settings.intake_min_seconds:
        review.append("too_fast")
    return form.submission(
        ticket.key if ticket else tickets.new_key(),
        chosen=_chosen_program(form.program.data),
        origin=zip_place(form.zip.data) if form.zip.data else None,
        locale=str(get_locale() or "en"),
        review_reasons=tuple(review),
    )
