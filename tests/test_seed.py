import shutil
from pathlib import Path

import yaml
from sqlalchemy import func, select

from locator.directory import seed
from locator.models import Attribute, Organization, Program, ProgramHours, ProgramLevel, program_attribute

TABLES = (Program, ProgramLevel, ProgramHours, Attribute, Organization)


def _counts(session) -> dict[str, int]:
    counts = {model.__name__: session.scalar(select(func.count()).select_from(model)) for model in TABLES}
    counts["program_attribute"] = session.scalar(select(func.count()).select_from(program_attribute))
    return counts


def test_seed_load_twice_changes_nothing(app, runner, session):
    first = runner.invoke(args=["seed", "load"])
    assert first.exit_code == 0, first.output
    after_first = _counts(session)
    second = runner.invoke(args=["seed", "load"])
    assert second.exit_code == 0, second.output
    session.expire_all()
    assert _counts(session) == after_first
    assert "programs: 0 added, 0 updated, 46 unchanged" in second.output


def test_the_demo_network_covers_three_states_and_every_level(seeded, session):
    programs = session.scalars(select(Program)).all()
    assert len(programs) >= 36
    assert {p.state for p in programs} == {"OH", "IN", "KY"}
    assert all(p.is_demo and p.source == "seed" for p in programs)
    assert all("(demo)" in p.name for p in programs)
    assert set(session.scalars(select(ProgramLevel.level))) == {"detox", "residential", "outpatient", "aftercare"}
    cities = {p.city for p in programs}
    assert {"Columbus", "Louisville", "Indianapolis", "Covington", "Bowling Green", "Fort Wayne"} <= cities


def test_the_demo_network_has_hours_capacity_and_attributes(seeded, session):
    assert session.scalar(select(func.count()).select_from(ProgramHours)) > 0
    assert session.scalar(select(func.count()).where(ProgramLevel.capacity_available.is_not(None))) > 0
    approaches = set(
        session.scalars(select(Attribute.code).join(program_attribute).where(Attribute.category == "approach"))
    )
    assert {"MIND", "REL"} <= approaches
    categories = set(session.scalars(select(Attribute.category).join(program_attribute)))
    assert {"payment", "population", "language", "medication", "approach"} <= categories


def test_demo_phones_are_in_the_fictional_range(seeded, session):
    for phone in session.scalars(select(Program.phone)):
        assert " 555-01" in phone


def test_editing_a_seed_row_updates_that_program(app, session, tmp_path: Path):
    seed_dir = tmp_path / "seed"
    shutil.copytree(seed.SEED_DIR, seed_dir)
    seed.load(session, seed_dir)
    session.commit()

    data = yaml.safe_load((seed_dir / "programs.yaml").read_text())
    row = data["programs"][0]
    row["name"] = "Renamed Program (demo)"
    row["levels"][0]["available"] = 0
    row["attributes"]["payment"] = ["NP"]
    (seed_dir / "programs.yaml").write_text(yaml.safe_dump(data))

    counts = seed.load(session, seed_dir)["programs"]
    session.commit()
    assert counts["updated"] == 1
    assert counts["unchanged"] == len(data["programs"]) - 1
    program = session.scalar(select(Program).filter_by(slug=row["slug"]))
    assert program.name == "Renamed Program (demo)"
    assert program.levels[0].capacity_available == 0
    assert program.levels[0].capacity_updated_by == "seed"
    assert [(a.category, a.code) for a in program.attributes if a.category == "payment"] == [("payment", "NP")]


def test_if_empty_leaves_an_existing_directory_alone(app, runner, session):
    assert runner.invoke(args=["seed", "load"]).exit_code == 0
    program = session.scalar(select(Program).limit(1))
    session.delete(program)
    session.commit()
    before = _counts(session)
    result = runner.invoke(args=["seed", "load", "--if-empty"])
    assert "already present" in result.output
    session.expire_all()
    assert _counts(session) == before


def test_a_broken_seed_row_is_reported_and_nothing_is_written(app, runner, session, tmp_path: Path, monkeypatch):
    seed_dir = tmp_path / "seed"
    shutil.copytree(seed.SEED_DIR, seed_dir)
    data = yaml.safe_load((seed_dir / "programs.yaml").read_text())
    data["programs"][3]["hours"] = {"mon": "17:00-09:00"}
    (seed_dir / "programs.yaml").write_text(yaml.safe_dump(data))
    monkeypatch.setattr(seed, "SEED_DIR", seed_dir)
    monkeypatch.setattr(seed.load, "__defaults__", (seed_dir,))

    result = runner.invoke(args=["seed", "load"])
    assert result.exit_code != 0
    assert data["programs"][3]["slug"] in result.output
    assert session.scalar(select(func.count()).select_from(Program)) == 0


def test_demo_notice_is_shown_only_while_demo_programs_are_loaded(app, client):
    assert b"Demonstration data" not in client.get("/").data
    with app.app_context():
        from locator.extensions import db

        seed.load(db.session)
        db.session.commit()
    assert b"Demonstration data" in client.get("/").data
