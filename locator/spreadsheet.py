"""CSV cells a spreadsheet will not run: the API's CSV and the staff export both write through this."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """Neutralise text a spreadsheet would run as a formula (OWASP CSV injection) with a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
