"""The intake queue, one request with its history and actions, and the CSV export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from locator.config import current_settings
from locator.extensions import db
from locator.i18n import gettext as _
from locator.i18n import ngettext
from locator.intake import operations, workflow
from locator.intake.reference import normalise_reference
from locator.models import IntakeEvent, IntakeRequest, Program, StaffUser, staff_program, utcnow
from locator.models.intake import STATUSES
from locator.notify import outbox
from locator.staff import audit, bp, exports, referrals
from locator.staff import queue as queues
from locator.staff.access import EXPORT_ROLES, QUEUE_ROLES, queue_programs, roles, visible_requests
from locator.staff.forms import (
    CHOOSE,
    METHOD_LABELS,
    OUTCOME_LABELS,
    REVIEW_LABELS,
    ROUTE_LABELS,
    STATUS_LABELS,
    URGENCY_LABELS,
    AssignForm,
    ClaimForm,
    ContactForm,
    DetailsForm,
    NoteForm,
    QueueForm,
    ReferForm,
    ReviewForm,
    SearchForm,
    StatusForm,
    UrgencyForm,
)
from locator.staff.views_auth import recently_signed_in
from locator.taxonomy import LEVELS
from locator.templating import duration, phone_display
from locator.wording import counted


def _queue_form() -> QueueForm:
    form = QueueForm(request.args)
    choices = [SelectChoice("", _("All my programs"))]
    if current_user.role == "admin":
        choices.append(SelectChoice("network", _("Network-wide queue (no program)")))
    form.program.choices = choices + [SelectChoice(str(p.id), p.name) for p in queue_programs(db.session, current_user)]
    return form


def _filters(form: QueueForm) -> queues.QueueFilters:
    program = form.program.data or ""
    return queues.QueueFilters(
        statuses=tuple(form.status.data or queues.OPEN_STATUSES),
        urgencies=tuple(form.urgency.data or ()),
        program_id=int(program) if program.isdigit() else None,
        network_only=program == "network",
        level=form.level.data or None,
        assigned=form.assigned.data or None,
        review=bool(form.review.data),
        created_from=form.created_from.data,
        created_to=form.created_to.data,
    )


def clock(intake: IntakeRequest | queues.QueueRow, now: datetime) -> tuple[str, timedelta | None]:
    """Where a request stands against its first-contact target: ("contacted", the wait to the first attempt),
    ("tried", the same, for a request still new: the person was not reached), ("closed", None), ("overdue", how
    late) or ("due", how long is left)."""
    if intake.first_contact_at:
        return "tried" if intake.status == "new" else "contacted", intake.first_contact_at - intake.created_at
    if not intake.is_open:
        return "closed", None
    deadline = intake.contact_due_at
    return ("overdue", now - deadline) if deadline < now else ("due", deadline - now)


def clock_words(state: str, span: timedelta | None) -> str:
    """A queue line's first-contact column: 'after 12 min', 'overdue by 1 h 5 min', ... ('' when closed).
    Written here, once a line: the template's own gettext escapes and formats each variable again."""
    if state == "contacted":
        return _("after %(wait)s", wait=duration(span))
    if state == "tried":
        return _("tried after %(wait)s, not reached yet", wait=duration(span))
    if state == "overdue":
        return _("overdue by %(late)s", late=duration(span))
    if state == "due":
        return _("due in %(left)s", left=duration(span))
    return ""


def _clock_line(row: queues.QueueRow, now: datetime) -> tuple[str, str]:
    state, span = clock(row, now)
    return state, clock_words(state, span)


def _translated(labels: dict) -> dict[str, str]:
    """Labels translated once for a page that repeats them on every row."""
    return {code: str(label) for code, label in labels.items()}


def _render_queue(form: QueueForm, search: SearchForm, filters: queues.QueueFilters, page_number: int, status: int):
    now = utcnow()
    page = queues.queue(db.session, current_user, filters, page_number, current_settings().index_key)
    audit.record(db.session, "queue.search" if filters.q else "queue.view", detail=counted(page.total, "request"))
    # Each row with its clock, worked out here: a `set` inside the template's loop would make Jinja copy its
    # whole context for every translated string in the row.
    lines = [(r, *_clock_line(r, now)) for r in page.requests]
    context = {
        "form": form,
        "search": search,
        "page": page,
        "lines": lines,
        "export_limit": exports.LIMIT,
        "as_of": now,
    }
    context |= {
        "labels": _translated(STATUS_LABELS),
        "urgency_labels": _translated(URGENCY_LABELS),
        "level_labels": _translated({code: level.label for code, level in LEVELS.items()} | {None: _("Not sure")}),
    }
    if current_user.role == "admin":  # who can act on notices that have not gone out
        context["notices"] = outbox.backlog(db.session, now)
    html = render_template("staff/queue.html", **context)
    db.session.commit()  # after rendering (a commit expires the user and programs it reads), with the audit row
    return html, status


@bp.get("/")
@roles(*QUEUE_ROLES)
def queue():
    form = _queue_form()
    valid = form.validate()
    filters = _filters(form) if valid else queues.QueueFilters()
    return _render_queue(form, SearchForm(), filters, (form.page.data or 1) if valid else 1, 200 if valid else 400)


def _moment(text: str) -> datetime | None:
    """A time with its UTC offset, in UTC; None for anything else (a date alone, no offset, out of range)."""
    try:
        moment = datetime.fromisoformat(text)
        return moment.astimezone(UTC) if moment.tzinfo else None
    except (ValueError, OverflowError):
        return None


@bp.get("/queue/arrivals")
@roles(*QUEUE_ROLES)
def queue_arrivals():
    """What has come in since the queue page was loaded (its script asks each minute): counts, never who."""
    since = _moment(request.args.get("since", ""))
    if since is None:
        return {"errors": {"since": [_("Give the time the page was loaded, with its UTC offset.")]}}, 400
    came = queues.arrivals(db.session, current_user, since)
    text = ngettext(
        "%(num)d new request since this page was loaded", "%(num)d new requests since this page was loaded", came.count
    )
    if came.urgent:
        text = _("%(arrived)s, %(num)d urgent", arrived=text, num=came.urgent)
    if referred := sum(came.referred.values()):
        text = _("%(arrived)s, %(num)d referred from another queue", arrived=text, num=referred)
    return {"count": came.count, "urgent": came.urgent, "text": f"{text}." if came.count else ""}


@bp.post("/search")
@roles(*QUEUE_ROLES)
def search():
    """Search by reference, name or phone: a POST, so a name never sits in a URL, a history or a log."""
    search_form = SearchForm()
    form = _queue_form()
    form.validate()
    if not search_form.validate_on_submit():
        return _render_queue(form, search_form, queues.QueueFilters(), 1, 400)
    reference = normalise_reference(search_form.q.data)
    if reference:
        found = db.session.scalar(
            select(IntakeRequest.reference).where(IntakeRequest.reference == reference, visible_requests(current_user))
        )
        if found:
            return redirect(url_for("staff.intake", reference=found))
    # Every status: a person looked up by name may have been helped, or turned away, before.
    filters = queues.QueueFilters(statuses=STATUSES, q=search_form.q.data)
    return _render_queue(form, search_form, filters, 1, 200)


ACTION_FORMS = {
    "claim": ClaimForm,
    "assign": AssignForm,
    "status": StatusForm,
    "note": NoteForm,
    "contact": ContactForm,
    "refer": ReferForm,
    "urgency": UrgencyForm,
    "review": ReviewForm,
    "details": DetailsForm,
}


def _visible_request(reference: str) -> IntakeRequest:
    normal = normalise_reference(reference)
    intake = None
    if normal:
        intake = db.session.scalar(
            select(IntakeRequest)
            .where(IntakeRequest.reference == normal, visible_requests(current_user))
            .options(
                selectinload(IntakeRequest.events).selectinload(IntakeEvent.actor),
                selectinload(IntakeRequest.program),
            )
        )
    if intake is None:
        abort(404)  # not found, or another program's: the same answer
    return intake


def _colleagues(intake: IntakeRequest) -> list[StaffUser]:
    query = select(StaffUser).where(StaffUser.is_active.is_(True), StaffUser.role.in_(QUEUE_ROLES))
    if intake.program_id is not None:
        covers = select(staff_program.c.staff_user_id).where(staff_program.c.program_id == intake.program_id)
        query = query.where((StaffUser.role == "admin") | StaffUser.id.in_(covers))
    else:
        query = query.where(StaffUser.role == "admin")
    return list(db.session.scalars(query.order_by(StaffUser.name, StaffUser.email)))


def _forms(intake: IntakeRequest, posted: str | None = None) -> dict:
    """Every action's form; the one just posted keeps what was typed, all carry the current version."""
    forms = {
        name: form_class(prefix=name, formdata=request.form if name == posted else None)
        for name, form_class in ACTION_FORMS.items()
    }
    forms["assign"].assignee.choices = [SelectChoice("", _("Nobody"))] + [
        SelectChoice(str(u.id), u.name or u.email) for u in _colleagues(intake)
    ]
    if posted != "assign":  # the menu shows who has it now: a click on Assign alone changes nothing
        forms["assign"].assignee.data = str(intake.assigned_to_id or "")
    if posted != "details":  # filled in with what the request holds, to be corrected
        held = workflow.contact_details(intake)
        held["phone"] = held["phone"] and phone_display(held["phone"])
        forms["details"].process(None, data={k: v or "" for k, v in held.items()})
    forms["status"].to_status.choices = [CHOOSE] + [
        SelectChoice(s, STATUS_LABELS[s]) for s in workflow.allowed_statuses(intake.status)
    ]
    fresh_hours = current_settings().availability_fresh_hours
    forms["refer"].program.choices = [CHOOSE, *referrals.choices(db.session, intake, utcnow(), fresh_hours)]
    for form in forms.values():
        form.version.data = str(intake.version)
    return forms


#: The words for a request's codes, on its page.
REQUEST_LABELS = {
    "labels": STATUS_LABELS,
    "urgency_labels": URGENCY_LABELS,
    "route_labels": ROUTE_LABELS,
    "method_labels": METHOD_LABELS,
    "outcome_labels": OUTCOME_LABELS,
}


def _render_request(intake: IntakeRequest, forms: dict, status: int = 200, conflict: bool = False):
    now = utcnow()
    context = {"intake": intake, "forms": forms, "clock": clock(intake, now), "conflict": conflict}
    if intake.program is not None and intake.level in LEVELS:
        fresh_hours = current_settings().availability_fresh_hours
        context["places_here"] = referrals.open_places(intake.program, intake.level, now, fresh_hours)
    context["review_reasons"] = [REVIEW_LABELS.get(code, code) for code in intake.review_reason.split(",") if code]
    return render_template("staff/intake.html", **context, **REQUEST_LABELS), status


@bp.get("/intakes/<reference>")
@roles(*QUEUE_ROLES)
def intake(reference: str):
    found = _visible_request(reference)
    audit.record(db.session, "intake.view", "intake_request", found.reference)
    response = _render_request(found, _forms(found))
    db.session.commit()  # after rendering, as for the queue
    return response


@bp.post("/intakes/<reference>/<action>")
@roles(*QUEUE_ROLES)
def intake_action(reference: str, action: str):
    if action not in ACTION_FORMS:
        abort(404)
    found = _visible_request(reference)
    forms = _forms(found, posted=action)
    form = forms[action]
    submitted_version = request.form.get(f"{action}-version", "")
    if not form.validate():
        return _render_request(found, forms, 400)
    if submitted_version != str(found.version):
        return _conflict(found, forms)
    now, was = utcnow(), found.status
    try:
        event = _apply(found, action, form, now)
        detail = _detail(action, form, event)
        audit.record(db.session, f"intake.{action}", "intake_request", found.reference, detail=detail)
        moved_on = action != "status" and found.status != was  # reaching the person makes a new request contacted
        if moved_on:
            audit.record(db.session, "intake.status", "intake_request", found.reference, detail=f"to {found.status}")
        db.session.commit()
    except workflow.WorkflowError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_request(found, forms, 400)
    except StaleDataError:  # changed between our read and our write
        db.session.rollback()
        return _conflict(found, forms)
    if moved_on:
        flash(_("Saved. The request is now %(status)s.", status=STATUS_LABELS[found.status]))
    else:
        flash(_("Saved."))
    return redirect(url_for("staff.intake", reference=found.reference))


def _conflict(intake: IntakeRequest, forms: dict):
    """A colleague changed the request since this page was shown: show theirs, keep what was typed."""
    for form in forms.values():
        form.version.data = str(intake.version)
    return _render_request(intake, forms, 409, conflict=True)


def _apply(intake: IntakeRequest, action: str, form, now) -> IntakeEvent:
    session, settings = db.session, current_settings()
    if action == "claim":
        return workflow.assign(session, intake, current_user, current_user, now)
    if action == "assign":
        assignee = session.get(StaffUser, int(form.assignee.data)) if form.assignee.data else None
        event = workflow.assign(session, intake, current_user, assignee, now)
        if assignee is not None and assignee.id != current_user.id:
            operations.notify_assignee(session, intake, assignee, settings)
        return event
    if action == "status":
        return workflow.change_status(session, intake, current_user, form.to_status.data, now, form.note.data or "")
    if action == "note":
        return workflow.add_note(session, intake, current_user, form.text.data, now)
    if action == "contact":
        method, outcome = form.method.data, form.outcome.data
        return workflow.log_contact(session, intake, current_user, method, outcome, now, form.note.data)
    if action == "refer":
        program = session.get(Program, int(form.program.data))
        event = workflow.refer(session, intake, current_user, program, now, form.note.data)
        operations.notify_referral(session, intake, settings)
        return event
    if action == "urgency":
        minutes = settings.contact_target(form.urgency.data)
        event = workflow.change_urgency(session, intake, current_user, form.urgency.data, minutes, now, form.note.data)
        if event.to_urgency == "urgent":
            operations.notify_raised(session, intake, current_user, now, settings)
        return event
    if action == "review":
        return workflow.clear_review(session, intake, current_user, now, form.note.data)
    # "details", the last of ACTION_FORMS
    details = {name: form[name].data for name in workflow.contact_details(intake)}
    return workflow.correct_details(session, intake, current_user, details, now, form.note.data, settings.index_key)


def _detail(action: str, form, event: IntakeEvent) -> str:
    """What the audit trail says about a change: codes only, never the text of a note or a detail."""
    if action == "status":
        return f"to {form.to_status.data}"
    if action == "contact":
        return f"{form.method.data}: {form.outcome.data}"
    if action == "assign":
        return f"to staff {form.assignee.data or 'nobody'}"
    if action == "refer":
        return f"to program {form.program.data}"
    if action == "urgency":
        return f"to {form.urgency.data}"
    if action == "details":
        return ", ".join(event.previous)
    return ""


@bp.get("/export.csv")
@roles(*EXPORT_ROLES)
def export():
    if not recently_signed_in():
        return redirect(url_for("staff.reauthenticate", next=request.full_path))
    form = _queue_form()
    if not form.validate():
        abort(400)
    matching = queues.queue_select(current_user, _filters(form), current_settings().index_key)
    ids = list(db.session.scalars(matching.limit(exports.LIMIT)))
    total = len(ids)
    if total == exports.LIMIT:  # perhaps more than a file holds: count them
        total = db.session.scalar(select(func.count()).select_from(matching.subquery()))
    audit.record(db.session, "intake.export", detail=f"{len(ids):,} of {counted(total, 'request')}")
    db.session.commit()
    return exports.csv_response(queues.load(db.session, ids), total)
