"""A small, real OpenID Connect provider for the single sign-on tests (django-oauth-toolkit).

Not part of the portal: `python -m tests.oidc_udbyder` starts it in a process of its own, on its own
SQLite database, with a fresh RSA signing key, one confidential client and the people the test names
(see fixtures.py, which the tests use).
"""
