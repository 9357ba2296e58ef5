"""Shared fixtures: the reference data is loaded once per test database."""
