"""The queue's task for scheduling: run the scheduler over an event (the run says which)."""

from django_tasks import task

from investpromo.scheduling import work


@task()
def schedule_event(run_id: int) -> None:
    """Run schedule run `run_id` on the worker that picked it up."""
    work.execute_run(run_id)
