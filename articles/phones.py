"""Phone numbers stored in one form (E.164, e.g. +15550100100) and shown readably."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_phone(value, region=None):
    """Return value as E.164, or raise ValidationError with a message for the editor."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region or settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _("“%(value)s” is not a phone number we can dial. Include the area code.")
            % {"value": value},
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(value, region=None):
    """A stored E.164 number formatted the way people in the practice's country write it."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region or settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == phonenumbers.country_code_for_region(
        region or settings.PHONE_REGION
    ):
        return phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.NATIONAL
        )
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
