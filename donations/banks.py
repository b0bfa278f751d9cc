"""Korean banks: the names members choose their payout bank from, and the two-digit codes Toss
Payments uses for them (virtual accounts, refund accounts). One table for both, and one rule for
account numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BANKS = {
    "06": "KB국민은행",
    "88": "신한은행",
    "20": "우리은행",
    "81": "하나은행",
    "11": "NH농협은행",
    "03": "IBK기업은행",
    "23": "SC제일은행",
    "27": "한국씨티은행",
    "90": "카카오뱅크",
    "92": "토스뱅크",
    "89": "케이뱅크",
    "32": "부산은행",
    "31": "대구은행(iM뱅크)",
    "34": "광주은행",
    "37": "전북은행",
    "39": "경남은행",
    "35": "제주은행",
    "07": "수협은행",
    "45": "새마을금고",
    "48": "신협",
    "71": "우체국",
    "02": "KDB산업은행",
    "12": "단위농협",
    "64": "산림조합",
    "50": "저축은행",
    "54": "HSBC",
}


def bank_name(code: str) -> str:
    return BANKS.get(code, code)


def account_number_digits(value: str, *, minimum: int = 10, maximum: int = 20) -> str:
    """An account number as people type it (digits, with hyphens or spaces between) → its digits.
    Letters or other signs, or too few or too many digits, are refused."""
    value = (value or "").strip()
    digits = "".join(ch for ch in value if ch.isdigit())
    if not re.fullmatch(r"[0-9][0-9\- ]*[0-9]", value) or not minimum <= len(digits) <= maximum:
        raise ValidationError(
            _("Digits only (hyphens are fine), %(minimum)d to %(maximum)d digits.")
            % {"minimum": minimum, "maximum": maximum}
        )
    return digits
