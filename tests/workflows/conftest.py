"""The time-skipping fixtures live in tests/conftest.py, shared with tests/settlement."""
