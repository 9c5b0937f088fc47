"""The one search service, and the parameters that drive it."""

from locator.search.service import Filters, Hit, SearchQuery, SearchResult, search

__all__ = ["Filters", "Hit", "SearchQuery", "SearchResult", "search"]
