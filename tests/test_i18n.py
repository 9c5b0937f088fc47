"""Spanish: the public pages, the intake form and its messages; and a catalogue with nothing public missing."""

from pathlib import Path

from babel.messages.pofile import read_po

from tests.intake_forms import form_data

CATALOGUE = Path(__file__).resolve().parent.parent / "locator" / "translations" / "es" / "LC_MESSAGES" / "messages.po"


def test_the_search_page_in_spanish(client):
    page = client.get("/?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Encuentre tratamiento para adicciones cerca de usted" in page
    assert "Salir rápido de este sitio" in page and "Línea de Prevención del Suicidio y Crisis" in page


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


def test_every_public_string_has_a_spanish_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="es")
    missing = [
        message.id
        for message in catalogue
        if message.id
        and not all("staff" in path for path, _line in message.locations)
        and not (all(message.string) if isinstance(message.string, tuple) else message.string)
    ]
    assert missing == []
