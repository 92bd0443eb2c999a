"""``{% load calendars %}``: the subscribe address of a board's calendar (boards/calendars.py)."""

from urllib.parse import urlsplit, urlunsplit

from django import template
from django.urls import reverse

from boards.site_url import absolute_url

register = template.Library()


@register.simple_tag
def webcal_url(url_name):
    """``webcal://host/….ics``: calendar apps subscribe to it (and keep it updated), not import it once."""
    parts = urlsplit(absolute_url(reverse(url_name)))
    return urlunsplit(("webcal", *parts[1:]))
