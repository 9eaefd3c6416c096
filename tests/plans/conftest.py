"""The API fixtures (row counts) serve the plan tests too."""

from tests.api.conftest import rows
from tests.plans.test_imports import plan

__all__ = ["plan", "rows"]
