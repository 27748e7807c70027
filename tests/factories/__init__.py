from .forbund import (
    BoardSeatFactory,
    ForbundFactory,
    MandatePeriodFactory,
    PartyFactory,
    RoleAssignmentFactory,
    UserFactory,
)

__all__ = [
    "BoardSeatFactory",
    "ForbundFactory",
    "MandatePeriodFactory",
    "PartyFactory",
    "RoleAssignmentFactory",
    "UserFactory",
]
