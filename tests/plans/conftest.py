"""The API fixtures (row counts) serve the plan tests too."""

from tests.api.conftest import rows

__all__ = ["rows"]
