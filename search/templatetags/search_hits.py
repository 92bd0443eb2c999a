"""``{% load search_hits %}``: 통합검색's hits, filled in Python from one HIT string.

A results page shows up to 35 hits, and the template engine spent about a quarter of a search's
Python work filling them (callgrind): as with a board list's rows (boards/templatetags/portal.py,
ROW), the markup is here, each piece escaped. A hit's title and snippet are HTML already
(search/highlight.py: escaped, with <mark>).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from boards.templatetags.portal import filesize_ko, iso, kdate

register = template.Library()

HIT = """
      <li class="search-hit">
        {link}
        {snippet}
        <p class="search-hit-meta">
          {post}
          {date}
          {department}
        </p>
      </li>
      """
# A 붙임 is downloaded; its post is linked in the line below.
FILE_LINK = """
        <a class="search-hit-title" href="{url}">{title}<span class="sr-only"> 내려받기</span></a>
        <span class="search-hit-file">({kind}{size})</span>
        """
POST_LINK = """
        <a class="search-hit-title" href="{url}">{title}</a>
        """


@register.simple_tag
def search_hits(hits):
    """The <li> of each hit (HIT)."""
    return mark_safe("".join(_hit(hit) for hit in hits))


def _hit(hit):
    if hit.post_url:
        link = FILE_LINK.format(url=escape(hit.url), title=hit.title, size=filesize_ko(hit.size),
                                kind=f"{escape(hit.extension)}, " if hit.extension else "")
        post = (f'<span>{escape(hit.board_name)} 게시글: '
                f'<a href="{escape(hit.post_url)}">{escape(hit.post_title)}</a></span>')
    else:
        link, post = POST_LINK.format(url=escape(hit.url), title=hit.title), ""
    return HIT.format(
        link=link, post=post,
        snippet=f'<p class="search-hit-snippet">{hit.snippet}</p>' if hit.snippet else "",
        date=f'<span><time datetime="{iso(hit.date)}">{kdate(hit.date)}</time></span>' if hit.date else "",
        department=f"<span>{escape(hit.department)}</span>" if hit.department else "",
    )
