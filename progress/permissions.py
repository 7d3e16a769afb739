"""Who may report which actuals: a department's team edits only its own rows; approvers and administrators all.

Model permissions (add/change/publish…) still come from groups; this policy narrows them to instances.
"""

from django.contrib.auth.models import AbstractBaseUser
from wagtail.permission_policies import ModelPermissionPolicy

from home.roles import ADMINISTRATORS, APPROVERS
from progress.models import DepartmentTeam

ALL_DEPARTMENT_GROUPS = (APPROVERS, ADMINISTRATORS)


def reports_for_every_department(user: AbstractBaseUser) -> bool:
    if not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=ALL_DEPARTMENT_GROUPS).exists()


def departments_of(user: AbstractBaseUser) -> set[int] | None:
    """The Japanese departments whose actuals this user reports; None for every department."""
    if reports_for_every_department(user):
        return None
    return set(DepartmentTeam.objects.filter(group__user=user).values_list("department_id", flat=True))


class DepartmentPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if not self.user_has_permission(user, action):
            return False
        allowed = departments_of(user)
        return allowed is None or instance.department_id in allowed

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        allowed = departments_of(user)
        return queryset if allowed is None else queryset.filter(department_id__in=allowed)
