"""Views of the agreements app, one module per resource.

Each module holds the public and the staff views of one resource; the
routes of both sites live in ``aftaler/urls.py``.
"""
