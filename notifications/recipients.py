"""Who is told: by role, by area, by the đề án's responsible staff or its creator."""

from django.contrib.auth import get_user_model

from accounts.roles import Role


def with_role(*roles: str):
    return list(get_user_model().objects.filter(is_active=True, groups__name__in=roles).distinct())


def area_officers_of(unit) -> list:
    """Active area officers whose areas contain `unit` (one of its path prefixes is theirs)."""
    if unit is None:
        return []
    parts = [p for p in unit.path.split("/") if p]
    prefixes = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.AREA_OFFICER, areas__path__in=prefixes)
        .distinct()
    )


def responsible_staff(project, unit=None) -> list:
    """The staff member following the đề án (FieldAssignment, else its creator on the staff), else every staff
    member — as for field problems."""
    from field.selectors import responsible_staff_for

    staff = responsible_staff_for(project=project, unit=unit if unit is not None else project.unit)
    return [staff] if staff is not None else with_role(Role.STAFF)
