"""The queue's one task: run a stored job (the job row says what to do)."""

from django_tasks import task

from investpromo.jobs import runner


@task(takes_context=True)
def run_job(context, job_id: int) -> None:
    """Run job `job_id` on the worker that picked it up."""
    worker_ids = context.task_result.worker_ids
    runner.execute(job_id, worker_id=worker_ids[-1] if worker_ids else "immediate")
