"""The public pages: search (the home page), a program's page, its problem report form, and how to keep a visit
private."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from locator.config import current_settings
from locator.extensions import db
from locator.hours import ALWAYS_OPEN, is_open
from locator.i18n import gettext as _
from locator.models import ListingReport, Program, utcnow
from locator.public import bp
from locator.public.forms import ReportForm
from locator.search.run import run_search
from locator.search.service import program_by_slug


@bp.get("/")
def home():
    run = run_search(request.args)
    template = "public/_results.html" if request.headers.get("X-Requested-With") == "fetch" else "public/search.html"
    return render_template(
        template, form=run.form, result=run.result
    ), 200 if run.result or not run.form.errors else 400


@bp.get("/safety")
def safety():
    """How to keep a visit from someone who checks the same phone or computer: linked from every public page."""
    return render_template("public/safety.html")


def _program_or_404(slug: str) -> Program:
    program = program_by_slug(db.session, slug)
    if program is None:
        abort(404)
    return program


@bp.get("/programs/<slug>")
def program(slug: str):
    found = _program_or_404(slug)
    periods = sorted((h.weekday, h.opens_minute, h.closes_minute) for h in found.hours)
    return render_template(
        "public/program.html",
        program=found,
        periods=periods,
        open_all_week=periods == ALWAYS_OPEN,
        open_now=is_open(periods, found.timezone, utcnow()) if periods else None,
        report_form=ReportForm(),
        tile_url=current_settings().map_tile_url,
    )


@bp.post("/programs/<slug>/report")
def report(slug: str):
    found = _program_or_404(slug)
    form = ReportForm()
    if not form.validate_on_submit():
        return render_template("public/report.html", program=found, report_form=form), 400
    db.session.add(ListingReport(program=found, kind=form.kind.data, details=form.details.data or ""))
    db.session.commit()
    flash(_("Thank you. Our team will check this listing."))
    return redirect(url_for("public.program", slug=found.slug))
