"""``python -m bigdet``: the command-line interface (the ``bigdet`` command)."""

from bigdet.cli.main import main

main()
