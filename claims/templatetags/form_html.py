"""A form field's widget, with plain <select>s built in Python.

Why: the claims list's filter form has five <select>s of up to 51 options each, and Django's
select template renders every <option> as an `{% include %}` of two templates: ~270
includes per page, about half of the claims list's rendering time. widget_html() writes the
same markup as django/forms/widgets/select.html and select_option.html (the attributes as
attrs.html writes them, every value escaped), from the same widget context; any other widget,
or a Select with its own templates, renders through Django as `{{ field }}` would.
"""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SELECT_TEMPLATES = ("django/forms/widgets/select.html", "django/forms/widgets/select_option.html")


def _attrs(attrs: dict) -> SafeString:
    """attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    if not attrs:  # most <option>s
        return mark_safe("")
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _option(option: dict) -> SafeString:
    return format_html(
        '\n  <option value="{}"{}>{}</option>',
        str(option["value"]),
        _attrs(option["attrs"]),
        option["label"],
    )


def _select(field: BoundField, widget: forms.Select) -> SafeString:
    # What BoundField.as_widget() passes to Widget.render().
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    parts = [format_html('<select name="{}"{}>', context["name"], _attrs(context["attrs"]))]
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(_option(option) for option in options)
        if group_name:
            parts.append(mark_safe("\n  </optgroup>"))
    parts.append(mark_safe("\n</select>"))
    return mark_safe("".join(parts))  # every piece above is format_html output


@register.filter
def widget_html(field: BoundField) -> SafeString:
    """{{ field }}, the same HTML, without a template per <option> for a plain Select."""
    widget = field.field.widget
    plain = (
        type(widget) is forms.Select
        and (widget.template_name, widget.option_template_name) == SELECT_TEMPLATES
        and not field.field.show_hidden_initial
        and not field.field.localize
    )
    if not plain:
        return mark_safe(str(field))  # BoundField.__str__ is the widget's own rendered HTML
    return _select(field, widget)
