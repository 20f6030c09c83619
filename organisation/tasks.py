from celery import shared_task

from sundhed import permissions


@shared_task
def synkroniser_rettigheder() -> int:
    """Memberships start and end with the calendar; bring group membership in line."""
    return permissions.synkroniser_alle()
