from tests.api.conftest import api, http  # noqa: F401  (the same app fixtures as the API tests)
