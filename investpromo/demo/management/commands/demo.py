"""`investpromo demo`: load the example event (synthetic projects, published totals)."""

from investpromo.core.management.base import InvestPromoCommand
from investpromo.demo.loader import DEMO_SLUG, load_demo
from investpromo.reports.selectors import event_summary


class Command(InvestPromoCommand):
    help = "Load the example event hlj-industry-transfer-2024 (synthetic data; idempotent)."

    def handle(self, *args, **options):
        event, created = load_demo(actor=self.actor(options))
        summary = event_summary(event)
        state = "Loaded" if created else "Already loaded:"
        self.stdout.write(
            f"{state} example event {DEMO_SLUG} — EXAMPLE DATA (synthetic projects): "
            f"{summary['projects']} projects, {summary['total_value_cny']} CNY, "
            f"SEI share by value {summary['sei']['share_by_value']:.3f}"
        )
