"""SAMHSA service codes and FindTreatment.gov labels, mapped to our levels, settings and attributes.

A code maps to a level/setting (DESIGN.md section 4, `locator.taxonomy.SAMHSA_SETTINGS`) or to an
attribute whose code is the SAMHSA code (`seed/attributes.yaml`). Anything else is *unmapped*: kept
on the program (`service_codes`) and counted in the import report, never silently dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from locator.directory.records import LevelRecord
from locator.taxonomy import SAMHSA_SETTINGS

#: FindTreatment.gov's JSON gives labels, not codes: label -> SAMHSA code, per service group (f2).
JSON_LABELS: dict[str, dict[str, str]] = {
    "SET": {
        "Detoxification": "DT",
        "Hospital inpatient detoxification": "HID",
        "Residential detoxification": "RD",
        "Outpatient detoxification": "OD",
        "Hospital inpatient": "HI",
        "Hospital inpatient treatment": "HIT",
        "Residential": "RES",
        "Short-term residential": "RS",
        "Long-term residential": "RL",
        "Outpatient": "OP",
        "Intensive outpatient treatment": "OIT",
        "Regular outpatient treatment": "ORT",
        "Outpatient methadone/buprenorphine or naltrexone treatment": "OMB",
        "Partial hospitalization/day treatment": "PHDT",
        "Outpatient day treatment or partial hospitalization": "ODT",
        "Telemedicine/telehealth": "TELE",
        "Computerized treatment/telemedicine": "TELE",
    },
    "PAY": {
        "Medicaid": "MD",
        "Medicare": "MC",
        "Private health insurance": "PI",
        "Cash or self-payment": "SF",
        "Military insurance (e.g., TRICARE)": "MI",
        "State-financed health insurance plan other than Medicaid": "SI",
        "IHS/Tribal/Urban (ITU) funds": "ITU",
    },
    "PYAS": {"Sliding fee scale (fee is based on income and other factors)": "SS", "Payment assistance": "PA"},
    "SL": {"Services for the deaf and hard of hearing": "AH", "American Sign Language (ASL)": "AH"},
    "OL": {"Spanish": "SP", "Arabic": "F4", "Chinese": "F17", "French": "F28", "Russian": "F70", "Vietnamese": "F92"},
    "SG": {
        "Adolescents": "AD",
        "Transitional age young adults": "TAY",
        "Adult women": "WN",
        "Adult men": "MN",
        "Pregnant/postpartum women": "PW",
        "Seniors or older adults": "SE",
        "Lesbian, gay, bisexual, or transgender (LGBT) clients": "GL",
        "Veterans": "VET",
        "Active duty military": "ADM",
        "Military families": "MF",
        "Clients referred from the court/judicial system": "CJ",
        "Persons with co-occurring mental and substance use disorders": "CO",
        "Persons who have experienced intimate partner violence, domestic violence": "DV",
        "Persons who have experienced trauma": "TRMA",
    },
    "OT": {
        "Methadone maintenance": "MU",
        "Methadone maintenance for predetermined time": "MU",
        "Buprenorphine used in Treatment": "BU",
        "Buprenorphine maintenance": "BU",
        "Buprenorphine maintenance for predetermined time": "BU",
        "Prescribes/administers buprenorphine": "BU",
        "Naltrexone used in Treatment": "NU",
        "Prescribes/administers naltrexone": "NU",
    },
    "AGE": {"Adults": "ADLT", "Young adults": "YAD", "Children/Adolescents": "CHLD", "Seniors": "SNR"},
    "TAP": {
        "Cognitive behavioral therapy": "CBT",
        "Dialectical behavior therapy": "DBT",
        "Motivational interviewing": "MOTI",
        "Relapse prevention": "RELP",
        "Trauma-related counseling": "TRC",
        "Contingency management/motivational incentives": "CMI",
        "12-step facilitation": "TWFA",
    },
    "PHR": {
        "Methadone": "MU",
        "Buprenorphine with naloxone  (Suboxone®)": "BU",
        "Buprenorphine without naloxone": "BU",
        "Buprenorphine (extended-release, injectable, for example, Sublocade®)": "BU",
        "Naltrexone (oral)": "NU",
        "Extended-release, injectable Naltrexone (Vivitrol®)": "VTRL",
        "Acamprosate (Campral®)": "ACM",
        "Disulfiram (Antabuse®)": "DSF",
    },
}


@dataclass
class Mapped:
    levels: list[LevelRecord] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)


def map_codes(codes: list[str], attribute_codes: dict[str, str]) -> Mapped:
    """Codes (any case) -> levels, attributes (category -> codes) and what is left unmapped."""
    found = Mapped()
    seen_levels = set()
    for raw in codes:
        code = raw.upper()
        if code in SAMHSA_SETTINGS:
            pair = SAMHSA_SETTINGS[code]
            if pair not in seen_levels:
                seen_levels.add(pair)
                found.levels.append(LevelRecord(*pair))
        elif code in attribute_codes:
            category = attribute_codes[code]
            if code not in found.attributes.setdefault(category, []):
                found.attributes[category].append(code)
        else:
            found.unmapped.append(raw.lower())
    return found


@dataclass
class CodeTally:
    """How many imported rows carried each code, and which codes had no mapping."""

    rows: Counter = field(default_factory=Counter)
    unmapped: Counter = field(default_factory=Counter)
