"""Addresses a page links to, worked out once per process: the ``{% url %}`` tag and static files.

Django's reverse() and static() give the same address for the same arguments for as long as a
process runs (the URLconf and the static manifest are read at start), yet each call costs 15–40 µs
of thread-local lookups, quoting and path joins; an uncached list or detail page made 10–15 of
them, a tenth of its work (README, 여섯째 세션). Here the answers are remembered, keyed by
everything reverse() reads.

``url`` is a template builtin (settings TEMPLATES): every template, the admin's too, gets it in
place of Django's tag of the same name and syntax, without a ``{% load %}``.
"""

import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as parse_url_tag
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language
from whitenoise.storage import CompressedManifestStaticFilesStorage

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _reverse(view_name, args, kwargs, current_app, scope):
    return reverse(view_name, urlconf=scope[0], args=args, kwargs=dict(kwargs), current_app=current_app)


def _scope(request=None):
    """What reverse() reads besides its arguments: URLconf, script prefix, language.

    Three thread-local lookups that cost as much as the rest of a remembered answer: read once
    per request (kept on it) when there is one.
    """
    try:
        return request.address_scope
    except AttributeError:
        scope = (get_urlconf(), get_script_prefix(), get_language())
        if request is not None:
            request.address_scope = scope
        return scope


def remembered_reverse(view_name, args=(), kwargs=None, current_app=None, request=None):
    """``reverse()``, answered from memory after the first time (a failed lookup is not kept)."""
    try:
        kwargs_key = tuple(sorted(kwargs.items())) if kwargs else ()
        return _reverse(view_name, tuple(args), kwargs_key, current_app, _scope(request))
    except TypeError:  # an argument that cannot be a key (a list): resolved each time
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)


@receiver(setting_changed)
def _forget_addresses(setting, **kwargs):
    if setting == "ROOT_URLCONF":  # tests that swap URLconfs; get_urlconf() is None outside a request
        _reverse.cache_clear()


class RememberedURLNode(URLNode):
    def render(self, context):
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app
        except AttributeError:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            url = remembered_reverse(
                self.view_name.resolve(context),
                [arg.resolve(context) for arg in self.args],
                {name: value.resolve(context) for name, value in self.kwargs.items()},
                current_app,
                request,
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's ``{% url %}`` (same syntax and output), answered by remembered_reverse."""
    node = parse_url_tag(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage (hashed, compressed names), each name's address remembered once asked.

    Only names in the manifest are kept (a missing one raises), so the memory is bounded by it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses = {}

    def url(self, name, force=False):
        key = (name, force, settings.DEBUG)  # DEBUG: Django answers unhashed names
        try:
            return self._addresses[key]
        except KeyError:
            address = self._addresses[key] = super().url(name, force)
            return address
