"""The rich-text editor's own extensions, registered the way django-prose-editor documents it.

``DJANGO_PROSE_EDITOR_EXTENSIONS`` (settings) names this list: the JavaScript module
that defines the extensions (static/js/prose-body.js, loaded by the editor with a
same-origin ``import()``: nothing from another host, no inline script) and, per
extension, which tags and attributes it produces, from which the sanitiser's
allowlist is derived (boards/richtext.py narrows the values).

Settings import this module, so it imports nothing that needs Django set up.
The processors are callables: django-prose-editor 0.28 cannot load dotted-path ones.
"""

from django_prose_editor.config import add_tags_and_attributes
from js_asset import static_lazy

SPANS = ["colspan", "rowspan"]


def captioned_table(config, nh3_config):
    """The package's Table plus <caption> and <thead> (header rows go there, the rest in <tbody>)."""
    add_tags_and_attributes(nh3_config, ["table", "caption", "thead", "tbody", "tr", "td"], {"td": SPANS})


def scoped_table_header(config, nh3_config):
    """Header cells, each a column or a row header (``scope``)."""
    add_tags_and_attributes(nh3_config, ["th"], {"th": [*SPANS, "scope"]})


def body_image(config, nh3_config):
    """An image uploaded into our storage: its address and its alt text, nothing else."""
    add_tags_and_attributes(nh3_config, ["img"], {"img": ["src", "alt"]})


PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/prose-body.js")],
        "extensions": {
            "CaptionedTable": captioned_table,
            "ScopedTableHeader": scoped_table_header,
            "BodyImage": body_image,
        },
    },
]
