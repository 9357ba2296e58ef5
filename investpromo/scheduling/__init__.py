"""One-to-one meeting scheduling: each accepted request placed in a slot and at a table.

`instance` reads and checks the instance file (the contract other tools write), `solve` runs
the scheduler and `schedule_file` writes the schedule file. The solver itself needs no
database: it works on an `Instance` and returns a `Schedule`.
"""
