"""The förbund's models: accounts and roles, members and board, and each year's funding."""

from .accounts import User, UserManager
from .budget import BudgetYear, Contribution, KeyShare
from .organisation import (
    BoardSeat,
    Forbund,
    MandatePeriod,
    Party,
    PartyQuerySet,
    Population,
    RoleAssignment,
)
from .reports import AnnualReport

__all__ = [
    "AnnualReport",
    "BoardSeat",
    "BudgetYear",
    "Contribution",
    "Forbund",
    "KeyShare",
    "MandatePeriod",
    "Party",
    "PartyQuerySet",
    "Population",
    "RoleAssignment",
    "User",
    "UserManager",
]
