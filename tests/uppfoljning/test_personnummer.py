from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from uppfoljning.personnummer import find_personnummer, looks_like_personnummer, luhn_ok
from uppfoljning.validators import NoPersonnummerValidator, validate_no_personnummer

TODAY = date(2026, 11, 29)


def with_check_digit(nine: str) -> str:
    """Return the ten digits of a personnummer whose first nine are `nine`."""
    for digit in "0123456789":
        if luhn_ok(nine + digit):
            return nine + digit
    raise AssertionError(nine)


@pytest.mark.parametrize(
    "text",
    [
        "121212-1212",
        "19121212-1212",
        "191212121212",
        "1212121212",
        "121212+1212",  # hundred years or older
        "121212 1212",
        "701063-2391",  # samordningsnummer: day 03 + 60
        "197010632391",
        "7010632391",
        "811218-9876",
        "Deltagaren 811218-9876 slutade i mars.",
        "pnr:811218-9876.",
        "(19811218-9876)",
        "811218‑9876",  # non-breaking hyphen
        "811218–9876",  # en dash
        "811218-9875",  # wrong check digit, but written as a personnummer: still refused
        "19811218-9875",
        "198112189875",  # twelve digits with a century and a valid date: refused
        "000229-1234",  # 29 February 2000 exists
    ],
)
def test_personnummer_and_samordningsnummer_are_found(text):
    assert looks_like_personnummer(text, today=TODAY), text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Totalt 1 234 567 kr i personalkostnader.",
        "1234567 kr",
        "Budget 2026: 850000 kr, utfall 812345 kr.",
        "Ring 070-123 45 67 eller 019-12 34 56.",
        "0701234567",
        "+46 70 123 45 67",
        "+46701234567",
        "08-123 456 78",
        "2026-11-22",
        "20261122",
        "Mötet 2026-11-22 kl. 13.00–15.30",
        "Dnr 2026-014",
        "Org.nr 222000-1230",  # organisationsnummer: month 20 is no month
        "212000-1934",
        "811318-9876",  # month 13
        "811200-9876",  # day 00
        "810230-9876",  # 30 February
        "810292-9876",  # day 32 + 60
        "010229-1234",  # 29 February 1901/2001 does not exist
        "8112189875",  # ten bare digits with a wrong check digit
        "12345678901234",  # a long reference number
        "OCR 4711811218987600",
        "30 deltagare, varav 12 kvinnor och 18 män.",
        "T1 2026: 16–24 år 4, 25–29 år 7",
        "20301218-9876",  # a date of birth in the future
    ],
)
def test_amounts_phone_numbers_and_dates_pass(text):
    assert not looks_like_personnummer(text, today=TODAY), text


def test_findings_are_masked_and_say_what_they_are():
    findings = find_personnummer("A 811218-9876, B 701063-2391", today=TODAY)
    assert [(f.masked, f.samordningsnummer) for f in findings] == [
        ("811218-XXXX", False),
        ("701063-XXXX", True),
    ]


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 29)),
    st.integers(min_value=0, max_value=999),
    st.sampled_from(["-", "+", "", "century-", "century"]),
    st.booleans(),
)
def test_every_valid_personnummer_is_found(born, serial, form, samordning):
    day = born.day + (60 if samordning else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    ten = with_check_digit(nine)
    century = str(born.year)[:2]
    text = {
        "-": f"{ten[:6]}-{ten[6:]}",
        "+": f"{ten[:6]}+{ten[6:]}",
        "": ten,
        "century-": f"{century}{ten[:6]}-{ten[6:]}",
        "century": f"{century}{ten}",
    }[form]
    assert looks_like_personnummer(f"Uppgift: {text}.", today=TODAY), text


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_ten_digit_numbers_with_a_wrong_check_digit_pass(number):
    nine = f"{number:09d}"
    right = with_check_digit(nine)
    wrong = nine + str((int(right[-1]) + 1) % 10)
    assert not looks_like_personnummer(wrong, today=TODAY)


@given(st.integers(min_value=0, max_value=10**15))
def test_amounts_written_with_spaces_pass(amount):
    text = f"{amount:,} kr".replace(",", " ")
    assert not looks_like_personnummer(text, today=TODAY)


def test_validator_refuses_with_a_swedish_reason_and_hides_the_number():
    with pytest.raises(ValidationError) as caught:
        validate_no_personnummer("Kontakt: 811218-9876")
    error = caught.value
    assert error.code == "personnummer"
    message = error.messages[0]
    assert "ser ut att innehålla ett personnummer eller samordningsnummer (811218-XXXX)" in message
    assert "bara emot antal och summor" in message
    assert "9876" not in message


@pytest.mark.parametrize("value", ["", None, "Tolv deltagare började i T1.", 1234])
def test_validator_lets_ordinary_text_through(value):
    validate_no_personnummer(value)


def test_validator_is_reusable_on_form_fields_and_deconstructs_for_migrations():
    class CommentForm(forms.Form):
        comment = forms.CharField(validators=[NoPersonnummerValidator()])

    form = CommentForm({"comment": "Anna 19811218-9876 slutade"})
    assert not form.is_valid()
    assert "personnummer" in form.errors["comment"][0]
    assert CommentForm({"comment": "Fyra slutade, två till arbete."}).is_valid()
    path, args, kwargs = NoPersonnummerValidator().deconstruct()
    assert path == "uppfoljning.validators.NoPersonnummerValidator"
    assert NoPersonnummerValidator() == validate_no_personnummer
