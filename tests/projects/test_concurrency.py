"""Two people firing transitions on the same đề án at once: only one may succeed (PostgreSQL, real connections)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from projects.models import Project, ProjectStatus, ProjectTransition
from projects.services import project_transition
from tests.factories import ProjectFactory

S = ProjectStatus

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def _race(user, project_id, targets, *, expected_version=None):
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def fire(to):
        try:
            barrier.wait()
            project_transition(
                actor=user, project=Project(pk=project_id), to=to, expected_version=expected_version, comment=to
            )
            outcomes.append(("ok", to))
        except (PermissionDenied, ValidationError) as exc:
            outcomes.append(("refused", str(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fire, args=(to,)) for to in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_the_same_transition_fired_three_times_at_once_succeeds_once(transactional_db, leader):
    project = ProjectFactory(status=S.SUSPENDED, status_before_suspension=S.IN_PROGRESS)
    outcomes = _race(leader, project.pk, [S.IN_PROGRESS, S.IN_PROGRESS, S.IN_PROGRESS])
    assert sorted(o[0] for o in outcomes) == ["ok", "refused", "refused"]
    assert ProjectTransition.objects.filter(project=project).count() == 1
    project.refresh_from_db()
    assert project.status == S.IN_PROGRESS and project.version == 2


def test_two_different_transitions_from_the_same_page_version_cannot_both_succeed(transactional_db, admin_user):
    project = ProjectFactory(status=S.AWAITING_ACCEPTANCE)
    # Both pages showed version 1: one sends it back to "in progress", the other suspends it; both are legal alone.
    outcomes = _race(admin_user, project.pk, [S.IN_PROGRESS, S.SUSPENDED], expected_version=1)
    results = sorted(o[0] for o in outcomes)
    assert results == ["ok", "refused"], outcomes
    assert ProjectTransition.objects.filter(project=project).count() == 1
    project.refresh_from_db()
    assert project.version == 2
