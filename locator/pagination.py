"""Pages of results: one count for the search, the queue, the staff lists, the sitemap and HSDS."""


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` rows fill: always at least one, so an empty list is page 1 of 1."""
    return max(1, -(-total // per_page))
