"""Users and departments as the admin API and ``aicode users --json`` show them."""

from __future__ import annotations

from typing import Any

from aicode.model.tenancy import Department, User


def user_json(user: User) -> dict[str, Any]:
    """A user as JSON: ids, email, name, department, groups and privacy mode."""
    return {
        "id": user.id,
        "numericId": user.num,
        "encodedId": user.encoded_id,
        "email": user.email,
        "displayName": user.display_name,
        "departmentId": user.department_id,
        "groups": list(user.groups),
        "privacyMode": user.privacy_mode,
    }


def department_json(department: Department) -> dict[str, Any]:
    """A department as JSON: id, name, full path and parent id."""
    return {
        "id": department.id,
        "name": department.name,
        "path": department.path,
        "parentId": department.parent_id,
    }


def tree_order(department: Department) -> tuple[str, ...]:
    """Sort key putting each department right after its parent and before its siblings'
    subtrees (a plain path sort puts ``Eng Ops`` between ``Eng`` and ``Eng/Platform``).
    """
    return tuple(part.lower() for part in department.path.split("/"))
