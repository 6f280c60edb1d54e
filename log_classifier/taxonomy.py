"""The category names of the taxonomy (docs/taxonomy.md). They are part of the API."""

from __future__ import annotations

HTTP_STATUS = "HTTP Status"
RESOURCE_USAGE = "Resource Usage"
CRITICAL_ERROR = "Critical Error"
ERROR = "Error"
SECURITY_ALERT = "Security Alert"
SYSTEM_NOTIFICATION = "System Notification"
USER_ACTION = "User Action"
WORKFLOW_ERROR = "Workflow Error"
DEPRECATION_WARNING = "Deprecation Warning"
UNCLASSIFIED = "Unclassified"

CATEGORIES: tuple[str, ...] = (
    HTTP_STATUS,
    RESOURCE_USAGE,
    CRITICAL_ERROR,
    ERROR,
    SECURITY_ALERT,
    SYSTEM_NOTIFICATION,
    USER_ACTION,
    WORKFLOW_ERROR,
    DEPRECATION_WARNING,
)
"""The nine categories, in the order of the taxonomy."""
