"""Issue #18.3: a mistyped argument prints one line and exits 2; the usage stays on --help."""

import pytest
from django.core.management import get_commands, load_command_class

from investpromo.cli import InvestPromoUtility

OUR_COMMANDS = sorted(
    name for name, app in get_commands().items() if str(app).startswith("investpromo")
)


def run_typed(capsys, *argv: str) -> tuple[int, list[str]]:
    """Run `investpromo ARGV` as typed at a shell (in this process); exit code and stderr lines."""
    name = argv[0]
    utility = InvestPromoUtility(["investpromo", *argv])
    with pytest.raises(SystemExit) as stopped:
        utility.fetch_command(name).run_from_argv(["investpromo", *argv])
    return stopped.value.code, capsys.readouterr().err.splitlines()


def test_the_commands_are_found():
    assert {"setup", "demo", "event", "import", "export", "report", "rate", "worker"} <= set(
        OUR_COMMANDS
    )


@pytest.mark.parametrize("name", OUR_COMMANDS)
def test_mistyped_arguments_print_one_line_for_every_command(capsys, name):
    code, lines = run_typed(capsys, name, "--no-such-option")
    assert code == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"investpromo {name}")
    assert ": error: " in lines[0]


@pytest.mark.parametrize("name", ["migrate", "collectstatic", "check", "runserver"])
def test_mistyped_arguments_of_djangos_commands_print_one_line_too(capsys, name):
    code, lines = run_typed(capsys, name, "--no-such-option")
    assert code == 2
    assert lines == [
        f"investpromo {name}: error: unrecognized arguments: --no-such-option"
        f" (see investpromo {name} --help)"
    ]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("report", "--event", "x", "--as-of", "2025-06-31"), "'2025-06-31' is not a date"),
        (("report", "--event", "x", "--format", "pdf"), "invalid choice: 'pdf'"),
        (("report",), "required: --event"),
        (("event", "add", "harbin-2025", "--name", "x"), "required: --start, --region"),
        (("event", "ad"), "invalid choice: 'ad'"),
        (("rate", "set", "USD", "7.1", "--date", "2025-02-30"), "'2025-02-30' is not a date"),
    ],
)
def test_mistyped_arguments_say_what_is_wrong_in_one_line(capsys, argv, says):
    code, lines = run_typed(capsys, *argv)
    assert code == 2
    assert len(lines) == 1, lines
    assert says in lines[0]
    assert "--help" in lines[0]


def test_mistyped_command_name_prints_one_line(capsys):
    with pytest.raises(SystemExit) as stopped:
        InvestPromoUtility(["investpromo", "reprot"]).fetch_command("reprot")
    lines = capsys.readouterr().err.splitlines()
    assert stopped.value.code == 2
    assert lines == [
        "investpromo: unknown command 'reprot', did you mean report?"
        " (`investpromo help` lists the commands)"
    ]


def test_help_still_prints_the_usage(capsys):
    with pytest.raises(SystemExit) as stopped:
        load_command_class("investpromo.reports", "report").run_from_argv(
            ["investpromo", "report", "--help"]
        )
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("usage: investpromo report")
