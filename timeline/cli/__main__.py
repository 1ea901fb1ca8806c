"""`python -m timeline.cli ...`: the `timeline` command."""
from timeline.cli import main

main(prog_name="timeline")
