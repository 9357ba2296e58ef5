"""`investpromo rate set|list`: exchange rates (CNY per one unit of a currency)."""

from investpromo.core.management.base import InvestPromoCommand, parse_date_arg
from investpromo.projects.models import ExchangeRate
from investpromo.projects.services.rates import RateOutcome, set_exchange_rate

VERBS = {RateOutcome.CREATED: "Set", RateOutcome.REPLACED: "Replaced"}


class Command(InvestPromoCommand):
    help = "Set or list exchange rates (CNY per one unit of the currency, valid from the date)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        set_ = sub.add_parser("set", help="set the rate of a currency from a date on")
        set_.add_argument("currency", help="ISO code, e.g. USD")
        set_.add_argument("rate", help="CNY per one unit, e.g. 7.1")
        set_.add_argument("--date", required=True, type=parse_date_arg, metavar="YYYY-MM-DD")
        set_.add_argument(
            "--source",
            help="where the rate comes from (default for a new value: 'set by USER on DATE')",
        )
        list_ = sub.add_parser("list", help="list rates")
        list_.add_argument("currency", nargs="?")

    def handle(self, *args, **options):
        if options["action"] == "list":
            rates = ExchangeRate.objects.all()
            if options["currency"]:
                rates = rates.filter(currency=options["currency"].upper())
            for rate in rates:
                self.stdout.write(
                    f"{rate.currency}\t{rate.date}\t{rate.cny_per_unit}\t{rate.source}"
                )
            return
        rate, outcome = set_exchange_rate(
            actor=self.actor(options),
            currency=options["currency"],
            cny_per_unit=options["rate"],
            date=options["date"],
            source=options["source"],
            via="cli",
        )
        value = f"{rate.currency} = {rate.cny_per_unit.normalize():f} CNY from {rate.date}"
        if outcome == RateOutcome.UNCHANGED:
            self.stdout.write(f"Unchanged: {value} (source: {rate.source})")
        else:
            self.stdout.write(f"{VERBS[outcome]} {value} (source: {rate.source})")
