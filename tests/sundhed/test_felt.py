"""The one form-field template (templates/includes/felt.html) every staff form uses."""

import re

from django import forms
from django.template.loader import render_to_string

from sundhed.formularer import DkfdsForm


class Almindelig(forms.Form):
    dato = forms.DateField(label="Dato", help_text="ÅÅÅÅ-MM-DD.")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)
    valg = forms.ChoiceField(label="Beslutning", choices=[("ja", "Ja"), ("nej", "Nej")],
                             widget=forms.RadioSelect(attrs={"class": "form-radio"}))


class Dkfds(DkfdsForm):
    titel = forms.CharField(label="Titel")
    parter = forms.MultipleChoiceField(label="Parter", required=False, choices=[("a", "A"), ("b", "B")],
                                       widget=forms.CheckboxSelectMultiple)


def felt(form, navn, **med):
    return render_to_string("includes/felt.html", {"felt": form[navn], **med})


def widget(html, navn):
    return re.search(rf'<(input|textarea|select)[^>]*name="{navn}"[^>]*>', html).group(0)


def test_an_error_and_a_hint_are_tied_to_the_field_for_screen_readers():
    form = Almindelig({"dato": "i morgen"})
    html = felt(form, "dato", bredde="input-width-s")
    assert '<span class="form-hint" id="id_dato_helptext">ÅÅÅÅ-MM-DD.</span>' in html
    assert 'id="id_dato_error"><span class="sr-only">Fejl: </span>Indtast en gyldig dato.' in html
    tag = widget(html, "dato")
    assert 'aria-describedby="id_dato_helptext id_dato_error"' in tag
    assert 'aria-invalid="true"' in tag
    assert 'class="form-input input-width-s"' in tag
    assert 'value="i morgen"' in tag  # what was typed is kept


def test_a_plain_form_gets_the_design_systems_classes_and_marks_optional_fields():
    html = felt(Almindelig(), "note")
    assert 'class="form-input"' in widget(html, "note")
    assert '(valgfrit)' in html
    assert "aria-invalid" not in html


def test_radio_buttons_are_a_fieldset_with_a_legend_carrying_the_error():
    html = felt(Almindelig({}), "valg")
    assert re.search(r'<fieldset class="form-group form-error" aria-describedby="id_valg_error">', html)
    assert '<legend class="form-label">Beslutning</legend>' in html
    assert html.count('class="form-radio"') == 2
    assert '<label for="id_valg_0">Ja</label>' in html


def test_a_design_system_form_keeps_its_own_classes_and_checkboxes_are_a_fieldset():
    form = Dkfds()
    assert 'class="form-input"' in widget(felt(form, "titel"), "titel")
    html = felt(form, "parter")
    assert '<legend class="form-label">Parter <span class="weight-normal">(valgfrit)</span></legend>' in html
    assert html.count('class="form-group-checkbox"') == 2
