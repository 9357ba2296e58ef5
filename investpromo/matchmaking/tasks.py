"""The queue's task for matchmaking: compute an event's recommendations (the run says which)."""

from django_tasks import task

from investpromo.matchmaking import work


@task()
def compute_recommendations(run_id: int) -> None:
    """Run recommendation run `run_id` on the worker that picked it up."""
    work.execute_run(run_id)
