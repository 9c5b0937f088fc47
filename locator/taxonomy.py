"""Levels of care, their settings, and the attribute categories (DESIGN.md section 4).

These are schema invariants: the database CHECKs are built from them, so they live in code. The
attribute *codes and labels* are data (`seed/attributes.yaml`), loaded into the `attribute` table, in
English; the catalogue translates the labels (`babel.cfg` extracts them from that file).
Each setting lists the SAMHSA service codes that map to it, so importers map one-to-one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from locator.i18n import lazy_gettext as _l
from locator.i18n import translations

if TYPE_CHECKING:
    from locator.models import Attribute


@dataclass(frozen=True)
class Setting:
    code: str
    label: object
    samhsa: tuple[str, ...]


@dataclass(frozen=True)
class Level:
    code: str
    label: object
    settings: tuple[Setting, ...]

    def setting(self, code: str) -> Setting:
        return next(s for s in self.settings if s.code == code)


GENERAL = "general"

LEVELS: dict[str, Level] = {
    level.code: level
    for level in (
        Level(
            "detox",
            _l("Detox (withdrawal management)"),
            (
                Setting("hospital_detox", _l("Hospital inpatient detox"), ("HID",)),
                Setting("residential_detox", _l("Residential detox"), ("RD",)),
                Setting("outpatient_detox", _l("Outpatient detox"), ("OD",)),
                Setting(GENERAL, _l("Detox"), ("DT",)),
            ),
        ),
        Level(
            "residential",
            _l("Residential"),
            (
                Setting("hospital_inpatient", _l("Hospital inpatient"), ("HI", "HIT")),
                Setting("short_term_residential", _l("Short-term residential"), ("RS",)),
                Setting("long_term_residential", _l("Long-term residential"), ("RL",)),
                Setting(GENERAL, _l("Residential"), ("RES",)),
            ),
        ),
        Level(
            "outpatient",
            _l("Outpatient"),
            (
                Setting("partial_hospitalization", _l("Partial hospitalization / day treatment"), ("ODT", "PHDT")),
                Setting("intensive_outpatient", _l("Intensive outpatient"), ("OIT",)),
                Setting("regular_outpatient", _l("Regular outpatient"), ("ORT",)),
                Setting("medication_outpatient", _l("Medication treatment (outpatient)"), ("OMB", "OTP")),
                Setting(GENERAL, _l("Outpatient"), ("OP",)),
            ),
        ),
        Level(
            "aftercare",
            _l("Aftercare and recovery support"),
            (
                Setting("continuing_care", _l("Continuing care"), ("ACC",)),
                Setting("discharge_planning", _l("Discharge planning"), ("DP",)),
                Setting("follow_up", _l("Outpatient follow-up"), ("OFD",)),
                Setting("recovery_housing", _l("Recovery housing"), ("HH",)),
                Setting("peer_recovery_support", _l("Peer recovery support"), ("PEER", "RC")),
                Setting("self_help", _l("Self-help groups"), ("SHG",)),
                Setting(GENERAL, _l("Aftercare"), ()),
            ),
        ),
    )
}

LEVEL_CODES: tuple[str, ...] = tuple(LEVELS)
SETTING_CODES: tuple[str, ...] = tuple(dict.fromkeys(s.code for lvl in LEVELS.values() for s in lvl.settings))

#: SAMHSA service code (upper case) -> (level, setting)
SAMHSA_SETTINGS: dict[str, tuple[str, str]] = {
    code: (level.code, setting.code)
    for level in LEVELS.values()
    for setting in level.settings
    for code in setting.samhsa
}

ATTRIBUTE_CATEGORIES: dict[str, object] = {
    "payment": _l("Payment"),
    "population": _l("Who it serves"),
    "age": _l("Ages"),
    "language": _l("Languages"),
    "medication": _l("Medications"),
    "approach": _l("Approaches"),
    "service": _l("Services"),
    "accessibility": _l("Accessibility"),
    "accreditation": _l("Accreditation"),
}

CAPACITY_UNITS: tuple[str, ...] = ("bed", "slot")


def attribute_label(label: str) -> str:
    """An attribute's label in the page's language. One the catalogue does not have (an import's own) stays as
    it is; and it is not a format string, so a '%' in it is only a '%'."""
    return translations().ugettext(label)


def alphabetical(text: str) -> str:
    """A sort key that files an accented letter with its letter ('Árabe' before 'Chino'), whatever the case."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def by_category(attributes: Iterable[Attribute]) -> list[tuple[str, list[str]]]:
    """A program's attributes as (category, labels): the categories in the locator's order (payment first), the
    labels in the page's language and its alphabetical order."""
    labels: dict[str, list[str]] = {category: [] for category in ATTRIBUTE_CATEGORIES}
    for attribute in attributes:
        labels[attribute.category].append(attribute_label(attribute.label))
    return [(category, sorted(found, key=alphabetical)) for category, found in labels.items() if found]
