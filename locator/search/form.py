"""Search parameters (DESIGN.md section 5) read from the query string, for the page and the API alike."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import FloatField, IntegerField, SearchField, SelectChoice, SelectField
from wtforms.validators import Length, NumberRange, Optional

from locator.forms import BaseForm, CheckboxesField, FlagField, finite
from locator.geo import GeocodeError, Geocoder, Place
from locator.i18n import lazy_gettext as _l
from locator.models import Attribute
from locator.search.service import DEFAULT_RADIUS, MAX_PER_PAGE, MAX_RADIUS, Filters, SearchQuery
from locator.taxonomy import LEVELS, alphabetical, attribute_label

#: The attribute groups a person can filter by, in the order the page shows them.
FILTER_CATEGORIES = ("payment", "population", "age", "language", "medication", "approach", "service")
RADII = (5, 10, 25, 50, 100, 250)


def _level_choices():
    return [SelectChoice(code, level.label) for code, level in LEVELS.items()]


def _setting_choices():
    return [SelectChoice(s.code, s.label) for level in LEVELS.values() for s in level.settings if s.code != "general"]


class SearchForm(BaseForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    near = SearchField(_l("ZIP code, or city and state"), [Optional(), Length(max=200)])
    lat = FloatField(_l("Latitude"), [Optional(), NumberRange(-90, 90), finite])
    lon = FloatField(_l("Longitude"), [Optional(), NumberRange(-180, 180), finite])
    radius = IntegerField(_l("Distance (miles)"), [Optional(), NumberRange(1, MAX_RADIUS)], default=DEFAULT_RADIUS)
    level = CheckboxesField(_l("Level of care"), choices=_level_choices())
    setting = CheckboxesField(_l("Setting"), choices=_setting_choices())
    payment = CheckboxesField(_l("Payment"))
    population = CheckboxesField(_l("Who it serves"))
    age = CheckboxesField(_l("Ages"))
    language = CheckboxesField(_l("Languages"))
    medication = CheckboxesField(_l("Medications"))
    approach = CheckboxesField(_l("Approaches"))
    service = CheckboxesField(_l("Services"))
    accepting = FlagField(_l("Accepting new clients"))
    open_now = FlagField(_l("Has a place open now"))
    q = SearchField(_l("Program name"), [Optional(), Length(max=100)])
    sort = SelectField(
        _l("Sort by"),
        choices=[SelectChoice("distance", _l("Distance")), SelectChoice("name", _l("Name"))],
        default="distance",
        validate_choice=True,
    )
    page = IntegerField(_l("Page"), [Optional(), NumberRange(1, 100_000)], default=1)
    per_page = IntegerField(_l("Results per page"), [Optional(), NumberRange(1, MAX_PER_PAGE)], default=25)

    def __init__(self, formdata, session: Session, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        self.origin: Place | None = None
        self.place_choices: list[str] = []
        by_category: dict[str, list[SelectChoice]] = {c: [] for c in FILTER_CATEGORIES}
        rows = session.execute(
            select(Attribute.category, Attribute.code, Attribute.label).where(Attribute.category.in_(FILTER_CATEGORIES))
        )
        for category, code, label in rows:
            by_category[category].append(SelectChoice(code, attribute_label(label)))
        for category, choices in by_category.items():
            self[category].choices = sorted(choices, key=lambda choice: alphabetical(choice.label))

    def filter_groups(self):
        """The attribute checkbox groups, for the template."""
        return [self[category] for category in FILTER_CATEGORIES]

    def chosen_filters(self) -> int:
        """How many filters are on (each box ticked, a name, the order by name), for the folded filters' label."""
        boxes = sum(len(self[name].data or ()) for name in ("level", "setting", *FILTER_CATEGORIES))
        flags = (self.accepting.data, self.open_now.data, self.q.data, self.sort.data == "name")
        return boxes + sum(map(bool, flags))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and (self.lat.data is None) != (self.lon.data is None):
            missing = self.lon if self.lon.data is None else self.lat
            missing.errors = [_l("Give both latitude and longitude, or neither.")]
            return False
        return valid

    def resolve(self, geocoder: Geocoder) -> bool:
        """Validate, then turn the place into an origin. False (with field errors) when either fails."""
        if not self.validate():
            return False
        if self.lat.data is not None and self.lon.data is not None:
            self.origin = Place(self.lat.data, self.lon.data, str(_l("your location")))
        elif self.near.data:
            try:
                self.origin = geocoder.geocode(self.near.data)
            except GeocodeError as error:
                self.place_choices = error.choices
                self.near.errors = [_place_message(error)]
                return False
        return True

    @property
    def has_place(self) -> bool:
        return bool(self.near.data) or self.lat.data is not None

    def to_query(self) -> SearchQuery:
        attributes = tuple((c, tuple(self[c].data)) for c in FILTER_CATEGORIES if self[c].data)
        return SearchQuery(
            origin=self.origin,
            radius=self.radius.data or DEFAULT_RADIUS,
            filters=Filters(
                levels=tuple(self.level.data or ()),
                settings=tuple(self.setting.data or ()),
                attributes=attributes,
                accepting=bool(self.accepting.data),
                open_now=bool(self.open_now.data),
                q=self.q.data or "",
            ),
            sort=self.sort.data or "distance",
            page=self.page.data or 1,
            per_page=self.per_page.data or 25,
        )


def _place_message(error: GeocodeError) -> str:
    if error.reason == "ambiguous":
        return str(
            _l("“%(place)s” matches more than one place. Choose one below, or add the state.", place=error.query)
        )
    if error.reason == "unavailable":
        return str(_l("We could not look up that address just now. Try a ZIP code or a city and state."))
    if error.reason == "empty":
        return str(_l("Enter a ZIP code, or a city and state."))
    if error.choices:
        return str(_l("We could not find “%(place)s”. Did you mean one of these?", place=error.query))
    return str(
        _l(
            "We could not find “%(place)s”. Try a 5-digit ZIP code, or a city and state such as “Dayton, OH”.",
            place=error.query,
        )
    )
