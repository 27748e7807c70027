"""Validators for the follow-up's free-text fields; usable on any model or form field."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from .personnummer import find_personnummer


@deconstructible
class NoPersonnummerValidator:
    """Refuse text that contains something that looks like a personnummer or samordningsnummer.

    The follow-up is aggregates only (counts and sums); an identity number would turn a report
    into personal data about a participant.
    """

    code = "personnummer"
    message = (
        "Texten ser ut att innehålla ett personnummer eller samordningsnummer (%(found)s). "
        "Uppföljningen tar bara emot antal och summor, aldrig uppgifter om enskilda personer. "
        "Ta bort numret – eller skriv det på annat sätt om det inte är ett personnummer."
    )

    def __call__(self, value) -> None:
        if not value:
            return
        findings = find_personnummer(str(value))
        if findings:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"found": ", ".join(finding.masked for finding in findings)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, NoPersonnummerValidator)

    def __hash__(self) -> int:
        return hash(self.code)


validate_no_personnummer = NoPersonnummerValidator()
