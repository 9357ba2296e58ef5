"""`investpromo setup`: create or upgrade the database and load the official reference data."""

import time

from django.core.management import call_command

from investpromo.core.management.base import InvestPromoCommand
from investpromo.core.reference import load_reference_data


class Command(InvestPromoCommand):
    help = "Apply migrations and load the reference data (regions, industries, SEI); safe to rerun."
    records_changes = False

    def handle(self, *args, **options):
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"migrate: done in {time.perf_counter() - started:.2f} s")
        for table, counts in load_reference_data().items():
            self.stdout.write(_summary(table, counts))


def _summary(table: str, counts: dict) -> str:
    parts = [f"{counts[k]} {k}" for k in ("created", "updated", "unchanged") if k in counts]
    parts += [f"{counts[k]} {k}" for k in ("obsolete", "deleted") if counts.get(k)]
    return f"{table}: {counts['total']} rows ({', '.join(parts)}) in {counts['seconds']:.2f} s"
