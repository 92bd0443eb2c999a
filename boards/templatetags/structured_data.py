"""``{% load structured_data %}``: schema.org JSON-LD for a page's ``{% block structured_data %}``.

The tags only hand the page's objects to boards/structured_data.py, which builds the items.
"""

from django import template

from boards import structured_data

register = template.Library()


@register.simple_tag
def home_json_ld():
    return structured_data.json_ld(structured_data.government_organization())


@register.simple_tag
def board_list_json_ld(board):
    return structured_data.json_ld(*structured_data.board_list_items(board))


@register.simple_tag
def post_json_ld(board, post):
    return structured_data.json_ld(*structured_data.post_items(board, post))


@register.simple_tag
def breadcrumb_json_ld(*names_and_paths):
    """``{% breadcrumb_json_ld "문화관광" list_path trail.name trail_path %}``: the crumbs after 홈."""
    if len(names_and_paths) % 2:
        raise template.TemplateSyntaxError("breadcrumb_json_ld takes name, path pairs")
    crumbs = zip(names_and_paths[::2], names_and_paths[1::2])
    return structured_data.json_ld(structured_data.breadcrumb_list(*crumbs))
