from itertools import groupby

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from locator.extensions import db
from locator.geo.states import STATE_NAMES
from locator.models import Program
from locator.public import bp


@bp.get("/")
def home():
    programs = db.session.scalars(
        select(Program).options(selectinload(Program.levels)).order_by(Program.state, Program.city, Program.name)
    )
    by_state = [(STATE_NAMES.get(state, state), list(rows)) for state, rows in groupby(programs, lambda p: p.state)]
    return render_template("public/home.html", by_state=by_state)
