"""Saving through the admin as an analyst does: the change form's own data, posted back."""

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import RequestFactory
from django.urls import reverse


def change_form_data(model_admin, user, obj: Model) -> dict:
    """What the admin's change form for obj posts when saved untouched, inlines included."""
    request = RequestFactory().get("/")
    request.user = user
    forms = [model_admin.get_form(request, obj)(instance=obj)]
    data: dict = {}
    for formset_class, _inline in model_admin.get_formsets_with_inlines(request, obj):
        formset = formset_class(instance=obj, prefix=formset_class.get_default_prefix())
        count = len(formset.initial_forms)
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": str(count),
                f"{formset.prefix}-INITIAL_FORMS": str(count),
            }
        )
        forms += formset.initial_forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = str(value)
    return data


def save_in_admin(client, user, obj: Model, changes: dict, *, edited_through=None) -> None:
    """Post obj's admin change form (or that of edited_through, whose inline holds obj)."""
    target = edited_through or obj
    model_admin = admin.site._registry[type(target)]
    data = {**change_form_data(model_admin, user, target), **changes}
    opts = target._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[target.pk])
    response = client.post(url, data)
    if response.status_code != 302:  # the form was refused: say why
        errors = [response.context["adminform"].form.errors]
        errors += [formset.errors for formset in response.context["inline_admin_formsets"]]
        pytest.fail(f"the admin refused the change: {errors}")
