"""The staff workspace: sign-in, intake queues, requests, availability, programs, staff, audit, reports."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, g, redirect, request, url_for
from flask_login import current_user

from locator.config import current_settings
from locator.staff.sessions import Limits
from locator.staff.sessions import load as load_session

bp = Blueprint("staff", __name__, url_prefix="/staff")

#: Pages a person can reach before signing in.
OPEN_ENDPOINTS = {"staff.sign_in", "staff.forgot_password", "staff.second_factor", "staff.accept_invite"}
#: The session's own: its time left, and the person saying they are there.
SESSION_ENDPOINTS = {"staff.session_status", "staff.stay_signed_in"}
#: Asked by the staff pages' scripts: JSON, and 401 (not the sign-in page) once signed out.
SCRIPT_ENDPOINTS = SESSION_ENDPOINTS | {"staff.queue_arrivals"}
#: Asked by pages on their own, every minute: not activity, or a page left open would never time out.
PASSIVE_ENDPOINTS = {"staff.session_status", "staff.queue_arrivals"}
#: Pages a signed-in person without the required second factor may still use.
ENROLMENT_ENDPOINTS = {"staff.enrol_mfa", "staff.sign_out", *SESSION_ENDPOINTS}


def limits() -> Limits:
    settings = current_settings()
    return Limits(timedelta(minutes=settings.idle_timeout_minutes), timedelta(hours=settings.session_lifetime_hours))


@bp.before_request
def require_sign_in():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        if request.endpoint in SCRIPT_ENDPOINTS:
            return {"signed_in": False}, 401
        return redirect(url_for("staff.sign_in", expired=1 if g.get("session_expired") else None))
    if (
        current_settings().require_mfa
        and current_user.mfa_secret is None
        and request.endpoint not in ENROLMENT_ENDPOINTS
    ):
        return redirect(url_for("staff.enrol_mfa"))
    return None


def init_app(app: Flask) -> None:
    from locator.extensions import db, login_manager

    login_manager.init_app(app)
    login_manager.login_view = "staff.sign_in"
    # Sessions are kept on the server (`sessions`), never in a remember-me cookie. Flask-Login's hook for that
    # cookie reads the session on every response, which makes even the APIs' answers vary by cookie.
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)

    @login_manager.request_loader
    def load_staff(_request):
        if not request.path.startswith("/staff"):
            return None  # public pages never touch staff sessions
        return load_session(db.session, limits(), active=request.endpoint not in PASSIVE_ENDPOINTS)


from locator.staff import views_admin, views_auth, views_notices, views_phone, views_queue  # noqa: E402, F401  (registers the routes)
