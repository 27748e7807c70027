"""Find Swedish personnummer and samordningsnummer in free text, so the follow-up can refuse them.

The follow-up keeps aggregates only; a personal identity number in a comment would make the whole
report personal data. Detection errs on the side of refusing:

* `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYYYMMDD-NNNN` and `YYYYMMDDNNNN` are refused whenever the date
  part is a valid date of birth (a samordningsnummer adds 60 to the day): written like that, a
  number is almost certainly an identity number, mistyped check digit or not.
* A bare run of ten digits (`YYMMDDNNNN`, also with one space before the last four) is refused when
  the date is valid *and* the Luhn check digit is right. Ten-digit phone numbers (`0701234567`) are
  often date-like, so here the check digit separates the two; nine in ten date-like phone numbers
  pass.

Digits that are part of a longer run of digits are never matched, so long reference numbers pass.
"""

import re
from dataclasses import dataclass
from datetime import date

# Optional century, year, month, day, separator, four last digits; never inside a longer number.
_PATTERN = re.compile(
    r"(?<![\d])"
    r"(?P<century>1[89]|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+‐‑–]| ?)"
    r"(?P<last>\d{4})"
    r"(?![\d])"
)
SAMORDNING_OFFSET = 60


@dataclass(frozen=True)
class Finding:
    """A number in the text that looks like a personnummer or samordningsnummer."""

    text: str
    samordningsnummer: bool

    @property
    def masked(self) -> str:
        """Return the number with its last four digits hidden, to show back to the user."""
        return self.text[:-4] + "XXXX"


def luhn_ok(ten_digits: str) -> bool:
    """Return whether the tenth digit is the Luhn check digit of the first nine."""
    if len(ten_digits) != 10 or not ten_digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(ten_digits[:9]):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10 == int(ten_digits[9])


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _birth_date_possible(century: str | None, yy: str, mm: str, dd: str, today: date) -> bool:
    """Return whether YYMMDD (day may carry +60) is a real date of birth up to today."""
    month, day = int(mm), int(dd)
    if day > SAMORDNING_OFFSET:
        day -= SAMORDNING_OFFSET
    if century:
        year = int(century + yy)
        return _valid_date(year, month, day) and date(year, month, day) <= today
    # Without a century any year ending in YY will do (29 February needs a leap year).
    years = (1900 + int(yy), 2000 + int(yy))
    return any(_valid_date(year, month, day) for year in years)


def find_personnummer(text: str, *, today: date | None = None) -> list[Finding]:
    """Return every personnummer- or samordningsnummer-like number in `text`, in order."""
    if not text:
        return []
    today = today or date.today()
    findings = []
    for match in _PATTERN.finditer(text):
        century, yy, mm, dd = match["century"], match["yy"], match["mm"], match["dd"]
        if not _birth_date_possible(century, yy, mm, dd, today):
            continue
        separated = match["sep"] not in ("", " ")
        ten = yy + mm + dd + match["last"]
        if century or separated or luhn_ok(ten):
            findings.append(
                Finding(text=match.group(0), samordningsnummer=int(dd) > SAMORDNING_OFFSET)
            )
    return findings


def looks_like_personnummer(text: str, *, today: date | None = None) -> bool:
    return bool(find_personnummer(text, today=today))
