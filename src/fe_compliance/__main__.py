"""``python -m fe_compliance`` runs the ``fe-compliance`` command."""

from .cli import run

run()
