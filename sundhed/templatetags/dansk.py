"""`{% load dansk %}`: a half year for people, `{{ maaling.periode|halvaar }}` -> "1. halvår 2026".

Dates need no tag here: use the date filter with a named format (`|date:"DATE_FORMAT"`); see
sundhed/dansk.py for which format goes where.
"""

from django import template

from sundhed import dansk

register = template.Library()

register.filter("halvaar", dansk.halvaar)
