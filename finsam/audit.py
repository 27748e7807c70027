"""The audit trail every service writes to. Call `log` inside the service's transaction."""

from django.contrib.contenttypes.models import ContentType

from .models import Event


def log(
    subject,
    action: str,
    *,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
) -> Event:
    """Record that `actor` did `action` (dotted, e.g. "application.submitted") to `subject`."""
    return Event.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
    )


def events_for(subject):
    """Return the events about `subject`, oldest first, with their actors."""
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    ).select_related("actor")
