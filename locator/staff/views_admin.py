"""Availability (managers), programs, listing reports, staff and the audit trail (admins), and reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from locator.config import current_settings
from locator.directory import editing
from locator.extensions import db
from locator.geo import geocoder
from locator.geo.timezones import us_timezones
from locator.i18n import gettext as _
from locator.i18n import ngettext
from locator.intake.reference import normalise_reference
from locator.models import (
    Attribute,
    AuditEvent,
    ListingReport,
    Program,
    ProgramLevel,
    StaffUser,
    utcnow,
)
from locator.notify import outbox
from locator.pagination import page_count
from locator.public.forms import REPORT_LABELS
from locator.staff import accounts, audit, bp, reports
from locator.staff.access import can_manage_program, network_programs, program_ids, roles
from locator.staff.forms import (
    STATUS_LABELS,
    URGENCY_LABELS,
    AuditFilterForm,
    CapacityForm,
    InviteForm,
    PeriodForm,
    ProgramForm,
    ProgramListForm,
    StaffEditForm,
)
from locator.staff.views_auth import staff_page
from locator.taxonomy import ATTRIBUTE_CATEGORIES, LEVELS

STALE_AFTER = timedelta(days=180)
AUDIT_PER_PAGE = 100
PROGRAMS_PER_PAGE = 50


def _program_choices() -> list[SelectChoice]:
    return [SelectChoice(str(p.id), f"{p.name} ({p.city}, {p.state})") for p in db.session.scalars(network_programs())]


# Availability -------------------------------------------------------------------------------------


def _managed_programs() -> list[Program]:
    """A manager's programs; an admin's are the network's own, since a directory import's thousands of
    listings are other providers' (their places are theirs to tell)."""
    if current_user.role == "admin":
        query = network_programs()
    else:
        query = select(Program).where(Program.id.in_(program_ids(current_user))).order_by(Program.name)
    return list(db.session.scalars(query.options(selectinload(Program.levels))))


@bp.get("/availability")
@roles("admin", "manager")
def availability():
    programs = _managed_programs()
    return _availability_page(programs, _capacity_forms(programs), 200)


def _availability_page(programs: list[Program], forms: dict[int, CapacityForm], status: int):
    fresh_hours = current_settings().availability_fresh_hours
    page = render_template("staff/availability.html", programs=programs, forms=forms, fresh_hours=fresh_hours)
    return page, status


def _capacity_forms(programs: list[Program]) -> dict[int, CapacityForm]:
    """A small form per level, showing its figures as stored."""
    return {
        level.id: CapacityForm(
            formdata=None,
            data={"level_id": level.id, "available": level.capacity_available, "maximum": level.capacity_maximum},
            prefix=f"level-{level.id}",
        )
        for program in programs
        for level in program.levels
    }


@bp.post("/availability/<id:level_id>")
@roles("admin", "manager")
def update_availability(level_id: int):
    level = db.session.get(ProgramLevel, level_id)
    if level is None or not can_manage_program(current_user, level.program_id):
        abort(404)
    form = CapacityForm(prefix=f"level-{level_id}")
    if form.validate_on_submit():
        try:
            editing.set_capacity(
                db.session, level, form.available.data, form.maximum.data, current_user.email, utcnow()
            )
        except editing.EditError as exc:
            form.available.errors = [str(exc)]
        else:
            audit.record(db.session, "availability.update", "program_level", level.id, f"{level.capacity_available}")
            db.session.commit()
            flash(_("Saved: %(program)s, %(level)s.", program=level.program.name, level=LEVELS[level.level].label))
            return redirect(url_for("staff.availability") + f"#level-{level.id}")
    programs = _managed_programs()
    return _availability_page(programs, _capacity_forms(programs) | {level_id: form}, 400)


# Programs -----------------------------------------------------------------------------------------


def _listings(form: ProgramListForm) -> Select:
    """The programs the list's filters ask for: by name or city (any part, any case) or the start of a ZIP code,
    state, and not verified lately."""
    query = select(Program)
    if text := (form.q.data or "").strip():
        query = query.where(
            or_(
                Program.name.icontains(text, autoescape=True),
                Program.city.icontains(text, autoescape=True),
                Program.zip.startswith(text, autoescape=True),
            )
        )
    if form.state.data:
        query = query.where(Program.state == form.state.data)
    if form.stale.data:
        query = query.where(or_(Program.verified_at.is_(None), Program.verified_at < utcnow() - STALE_AFTER))
    return query


@bp.get("/programs")
@roles("admin")
def programs():
    form = ProgramListForm(request.args)
    states = db.session.scalars(select(Program.state).distinct().order_by(Program.state))
    form.state.choices = [SelectChoice("", _("Any state")), *(SelectChoice(s, s) for s in states)]
    valid = form.validate()
    query = _listings(form) if valid else select(Program)  # invalid: the messages, over every program
    page = (form.page.data or 1) if valid else 1
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(
        query.order_by(Program.state, Program.city, Program.name, Program.id)
        .offset((page - 1) * PROGRAMS_PER_PAGE)
        .limit(PROGRAMS_PER_PAGE)
    )
    open_reports = db.session.scalar(
        select(func.count()).select_from(ListingReport).where(ListingReport.status == "open")
    )
    pages = page_count(total, PROGRAMS_PER_PAGE)
    context = {"form": form, "programs": list(found), "total": total, "page": page, "pages": pages}
    return render_template("staff/programs.html", open_reports=open_reports, **context), 200 if valid else 400


def _program_form(program: Program | None) -> ProgramForm:
    data = None
    if program is not None and request.method == "GET":
        data = {key: getattr(program, key) for key in editing.FIELDS}
        data["levels"] = [f"{lvl.level}/{lvl.setting}" for lvl in program.levels]
        data["attributes"] = [str(a.id) for a in program.attributes]
    form = ProgramForm(data=data) if data else ProgramForm()
    if data:
        form.fill_hours([(h.weekday, h.opens_minute, h.closes_minute) for h in program.hours])
    zones = us_timezones()
    if program is not None and program.timezone not in zones:
        zones = (program.timezone, *zones)  # kept as it is unless changed
    form.timezone.choices = [SelectChoice("", _("From the ZIP code")), *(SelectChoice(z, z) for z in zones)]
    form.levels.choices = [
        SelectChoice(f"{code}/{s.code}", s.label, optgroup=level.label)
        for code, level in LEVELS.items()
        for s in level.settings
    ]
    categories = list(ATTRIBUTE_CATEGORIES)  # in the order the locator shows them
    attributes = sorted(db.session.scalars(select(Attribute)), key=lambda a: (categories.index(a.category), a.label))
    form.attributes.choices = [
        SelectChoice(str(a.id), a.label, optgroup=ATTRIBUTE_CATEGORIES[a.category]) for a in attributes
    ]
    return form


@bp.route("/programs/new", methods=["GET", "POST"])
@bp.route("/programs/<id:program_id>", methods=["GET", "POST"])
@roles("admin")
def edit_program(program_id: int | None = None):
    program = db.session.get(Program, program_id) if program_id else None
    if program_id and program is None:
        abort(404)
    form = _program_form(program)
    if form.validate_on_submit():
        data = {key: "" if form[key].data is None else form[key].data for key in editing.FIELDS}
        try:
            saved = editing.save_program(
                db.session,
                program,
                data,
                form.levels.data,
                [int(i) for i in form.attributes.data],
                form.weekly_hours(),
                geocoder(),
            )
        except editing.EditError as exc:
            db.session.rollback()
            form.street1.errors = [str(exc)]
        else:
            audit.record(db.session, "program.save", "program", saved.id)
            db.session.commit()
            flash(_("Saved."))
            if failed := outbox.failed_to(db.session, saved.id):  # its inbox corrected, perhaps: say where to go
                flash(
                    ngettext(
                        "%(num)d notice to this program could not be sent. If its inbox was wrong, send it again "
                        "from Notices: it goes to the inbox saved here.",
                        "%(num)d notices to this program could not be sent. If its inbox was wrong, send them again "
                        "from Notices: they go to the inbox saved here.",
                        failed,
                    )
                )
            return redirect(url_for("staff.edit_program", program_id=saved.id))
    status = 400 if form.errors else 200
    return render_template("staff/program_edit.html", form=form, program=program), status


@bp.post("/programs/<id:program_id>/verify")
@roles("admin")
def verify_program(program_id: int):
    program = db.session.get(Program, program_id) or abort(404)
    editing.verify(db.session, program, utcnow())
    audit.record(db.session, "program.verify", "program", program.id)
    db.session.commit()
    flash(_("Marked as verified today."))
    return redirect(staff_page(request.form.get("back"), url_for("staff.programs")))


@bp.get("/listing-reports")
@roles("admin")
def listing_reports():
    found = db.session.scalars(
        select(ListingReport)
        .where(ListingReport.status == "open")
        .options(selectinload(ListingReport.program))
        .order_by(ListingReport.created_at)
    )
    return render_template("staff/listing_reports.html", reports=list(found), kind_labels=REPORT_LABELS)


@bp.post("/listing-reports/<id:report_id>")
@roles("admin")
def close_listing_report(report_id: int):
    report = db.session.get(ListingReport, report_id) or abort(404)
    outcome = request.form.get("outcome")
    if outcome not in ("resolved", "dismissed") or report.status != "open":
        abort(400)
    report.status, report.resolved_at = outcome, utcnow()
    audit.record(db.session, f"listing_report.{outcome}", "listing_report", report.id)
    db.session.commit()
    return redirect(url_for("staff.listing_reports"))


# Staff --------------------------------------------------------------------------------------------


@bp.route("/people", methods=["GET", "POST"])
@roles("admin")
def people():
    form = InviteForm()
    form.programs.choices = _program_choices()
    if form.validate_on_submit():
        chosen = db.session.scalars(select(Program).where(Program.id.in_([int(i) for i in form.programs.data])))
        try:
            user = accounts.invite(
                db.session, form.email.data, form.role.data, chosen, form.name.data or "", utcnow(), current_settings()
            )
        except accounts.AccountError as exc:
            form.email.errors = [str(exc)]
        else:
            audit.record(db.session, "staff.invite", "staff_user", user.id, detail=user.role)
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=user.email))
            return redirect(url_for("staff.people"))
    staff = db.session.scalars(select(StaffUser).options(selectinload(StaffUser.programs)).order_by(StaffUser.email))
    return render_template("staff/people.html", form=form, staff=list(staff)), 400 if form.errors else 200


@bp.route("/people/<id:user_id>", methods=["GET", "POST"])
@roles("admin")
def edit_person(user_id: int):
    user = db.session.get(StaffUser, user_id) or abort(404)
    data = {"role": user.role, "programs": [str(p.id) for p in user.programs], "active": user.is_active}
    form = StaffEditForm(data=data) if request.method == "GET" else StaffEditForm()
    form.programs.choices = _program_choices()
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.role.errors = [_("You cannot remove your own admin role or disable yourself.")]
        else:
            chosen = db.session.scalars(select(Program).where(Program.id.in_([int(i) for i in form.programs.data])))
            accounts.update(db.session, user, form.role.data, chosen, bool(form.active.data), utcnow())
            detail = f"{user.role}, {'active' if user.is_active else 'disabled'}"
            audit.record(db.session, "staff.update", "staff_user", user.id, detail=detail)
            db.session.commit()
            flash(_("Saved."))
            return redirect(url_for("staff.people"))
    return render_template("staff/person_edit.html", form=form, user=user, now=utcnow()), 400 if form.errors else 200


def _someone_else(user_id: int) -> StaffUser:
    """An active account other than one's own (one's own password and second factor are on the account page)."""
    user = db.session.get(StaffUser, user_id) or abort(404)
    if user.id == current_user.id or not user.is_active:
        abort(400)
    return user


@bp.post("/people/<id:user_id>/password-link")
@roles("admin")
def reset_password(user_id: int):
    user = _someone_else(user_id)
    accounts.reset_password(db.session, user, utcnow(), current_settings())
    audit.record(db.session, "staff.password_reset", "staff_user", user.id)
    db.session.commit()
    flash(_("A link to choose a new password has gone to %(email)s; the old one no longer works.", email=user.email))
    return redirect(url_for("staff.edit_person", user_id=user.id))


@bp.post("/people/<id:user_id>/second-factor-reset")
@roles("admin")
def reset_second_factor(user_id: int):
    user = _someone_else(user_id)
    accounts.reset_second_factor(db.session, user, utcnow())
    audit.record(db.session, "staff.second_factor_reset", "staff_user", user.id)
    db.session.commit()
    flash(_("%(email)s has no second factor now, and sets it up again after signing in.", email=user.email))
    return redirect(url_for("staff.edit_person", user_id=user.id))


# Audit trail --------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@bp.get("/audit")
@roles("admin")
def audit_trail():
    form = AuditFilterForm(request.args)
    query = select(AuditEvent)
    if form.validate():
        if form.actor.data:
            query = query.where(AuditEvent.actor_email == accounts.normalise_email(form.actor.data))
        if form.action.data:
            query = query.where(AuditEvent.action.startswith(form.action.data, autoescape=True))
        if form.target.data:
            target = form.target.data.strip()
            query = query.where(AuditEvent.target_id == (normalise_reference(target) or target))
        if form.start.data:
            query = query.where(AuditEvent.at >= _day_start(form.start.data))
        if form.end.data:
            query = query.where(AuditEvent.at < _day_start(form.end.data) + timedelta(days=1))
    page = (form.page.data or 1) if not form.errors else 1
    events = list(
        db.session.scalars(
            query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .offset((page - 1) * AUDIT_PER_PAGE)
            .limit(AUDIT_PER_PAGE + 1)
        )
    )
    return render_template(
        "staff/audit.html", form=form, events=events[:AUDIT_PER_PAGE], page=page, more=len(events) > AUDIT_PER_PAGE
    ), 400 if form.errors else 200


# Reports ------------------------------------------------------------------------------------------


@bp.get("/reports")
@roles("admin", "coordinator")
def reports_page():
    form = PeriodForm(request.args)
    today = utcnow().date()
    valid = form.validate_for(today)
    start, end = (form.start.data, form.end.data) if valid else PeriodForm.default(today)
    after = _day_start(end) + timedelta(days=1)
    summary = reports.summarise(db.session, current_user, _day_start(start), after)
    audit.record(db.session, "reports.view", detail=f"{start} to {end}")
    db.session.commit()
    page = render_template(
        "staff/reports.html",
        form=form,
        summary=summary,
        start=start,
        end=end,
        status_labels=STATUS_LABELS,
        urgency_labels=URGENCY_LABELS,
    )
    return page, 200 if valid else 400  # invalid: the messages, over the default period
