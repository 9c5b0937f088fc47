"""Spanish: the public pages, the intake form and its messages; and a catalogue with nothing public missing."""

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel import dates
from babel.messages.pofile import read_po

from locator.templating import NETWORK_ZONE, staff_time
from tests.intake_forms import form_data

PYBABEL = str(Path(sys.executable).with_name("pybabel"))
CATALOGUE = Path(__file__).resolve().parent.parent / "locator" / "translations" / "es" / "LC_MESSAGES" / "messages.po"


def test_the_search_page_in_spanish(client):
    page = client.get("/?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Encuentre tratamiento para adicciones cerca de usted" in page
    assert "Salir rápido de este sitio" in page and "Línea de Prevención del Suicidio y Crisis" in page


def test_the_taxonomy_is_in_the_language_of_the_page(seeded, client):
    """Attribute labels are data, in English; the catalogue translates them, and the filters list them in the
    page's alphabetical order."""
    search = client.get("/?lang=es").get_data(as_text=True)
    languages = re.findall(r'name="language" type="checkbox" value="(\w+)"', search)
    assert languages[:3] == ["F4", "F17", "SP"]  # Árabe, Chino, Español
    assert "Seguro médico privado" in search and "Private health insurance" not in search
    program = client.get("/programs/demo-louisville-detox").get_data(as_text=True)
    tags = re.findall(r'<li class="tag">([^<]+)</li>', program)
    assert "Buprenorfina" in tags and "Español" in tags and "Spanish" not in tags
    assert tags.index("Buprenorfina") < tags.index("Naltrexona")
    headings = re.findall(r'<h2 id="attr-(\w+)">', program)
    assert headings[:2] == ["payment", "population"] and headings[-1] == "accreditation"  # as the filters
    english = client.get("/programs/demo-louisville-detox?lang=en").get_data(as_text=True)
    assert '<li class="tag">Spanish</li>' in english


def test_the_api_taxonomy_is_in_the_language_asked_for_and_its_codes_are_not(seeded, client):
    """Partners show our labels: every one in the language of the request, as the pages do."""
    spanish = client.get("/api/v1/taxonomy", headers={"Accept-Language": "es"}).json
    payment = next(group for group in spanish["attributes"] if group["category"] == "payment")
    assert payment["label"] == "Pago"
    assert {"code": "PI", "label": "Seguro médico privado"} in payment["terms"]
    assert spanish["levels"][0]["label"] == "Desintoxicación (manejo de la abstinencia)"
    english = client.get("/api/v1/taxonomy", headers={"Accept-Language": "en"}).json
    assert [t["code"] for g in english["attributes"] for t in g["terms"]] == [
        t["code"] for g in spanish["attributes"] for t in g["terms"]
    ]


def test_the_api_takes_a_language_for_one_request_and_sets_no_cookie(seeded, client):
    asked = client.get("/api/v1/taxonomy?lang=es")
    assert asked.json["levels"][0]["label"].startswith("Desintoxicación")
    assert "Set-Cookie" not in asked.headers
    assert client.get("/api/v1/taxonomy").json["levels"][0]["label"].startswith("Detox")
    client.get("/?lang=es")  # the pages remember it; the API still answers each request as asked
    assert client.get("/api/v1/taxonomy").json["levels"][0]["label"].startswith("Detox")


def test_form_library_messages_follow_the_language_of_each_request(client):
    """WTForms' own messages come from its catalogue (read once per language), in the request's language."""
    assert "No es un valor entero válido" in client.get("/?lang=es&page=abc").get_data(as_text=True)
    assert "Not a valid integer value" in client.get("/?lang=en&page=abc").get_data(as_text=True)
    assert "No es un valor entero válido" in client.get("/?lang=es&page=abc").get_data(as_text=True)


def test_staff_pages_are_in_english_whatever_the_public_site_uses(client):
    """The staff pages are not translated: in a Spanish session (or browser) they are wholly English and say
    so in `lang`, rather than mixing in the Spanish of the strings they share with the public pages."""
    client.get("/?lang=es")
    for url in ("/staff/login", "/staff/login?lang=es"):
        page = client.get(url, headers={"Accept-Language": "es"}).get_data(as_text=True)
        assert '<html lang="en">' in page
        assert "Email" in page and "(required)" in page and "Correo" not in page and "obligatorio" not in page
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)  # the public choice is kept


def test_the_browser_language_is_followed(client):
    page = client.get("/intake", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert "Pida que le contacten sobre tratamiento" in page and "Enviar mi solicitud" in page


def test_the_choice_is_remembered(client):
    client.get("/?lang=es")
    assert "Buscar tratamiento" in client.get("/").get_data(as_text=True)
    client.get("/?lang=en")
    assert "Find treatment" in client.get("/").get_data(as_text=True)


def test_intake_errors_and_confirmation_in_spanish(client):
    client.get("/intake?lang=es")
    page = client.post("/intake", data=form_data(client, name="")).get_data(as_text=True)
    assert "Revise lo siguiente" in page and "Díganos por quién debemos preguntar." in page
    done = client.post("/intake", data=form_data(client)).get_data(as_text=True)
    assert "Gracias. Recibimos su solicitud." in done and "por teléfono" in done


@pytest.mark.parametrize("lang", ["en", "es"])
def test_staff_times_read_as_babel_writes_them(app, lang):
    """`staff_time` writes Babel's names itself (for speed): every weekday and month, either side of midnight,
    of the clock change and of new year, as `format_datetime(..., "EEE d MMM HH:mm")` would, with the year
    (`y`) outside this one."""
    this_year = datetime.now(NETWORK_ZONE).year
    with app.test_request_context(f"/?lang={lang}"):
        start = datetime(this_year - 1, 1, 1, 4, 59, tzinfo=UTC)
        for moment in (start + timedelta(days=d, hours=d % 3) for d in range(0, 760, 5)):
            local = moment.astimezone(NETWORK_ZONE)
            pattern = "EEE d MMM HH:mm" if local.year == this_year else "EEE d MMM y HH:mm"
            assert staff_time(moment) == dates.format_datetime(local, pattern, locale=lang)


def test_every_public_string_has_a_spanish_translation(tmp_path):
    """Against the strings in the code now (extracted as `make translations` does), not only those the
    catalogue already lists: a new message nobody extracted fails here too."""
    root = CATALOGUE.parents[4]
    template = tmp_path / "messages.pot"
    subprocess.run(
        [PYBABEL, "extract", "-F", "babel.cfg", "-k", "_l", "--ignore-dirs", ".*", "-o", str(template), "."],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},  # babel.cfg's extractor of the taxonomy's labels
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        in_code = read_po(handle)
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="es")
    missing = []
    for message in in_code:
        if not message.id or all("staff" in path for path, _line in message.locations):
            continue
        found = catalogue.get(message.id)
        translated = (
            found is not None
            and not found.fuzzy
            and (all(found.string) if isinstance(found.string, tuple) else found.string)
        )
        if not translated:
            missing.append(message.id)
    assert missing == []
