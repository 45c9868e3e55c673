"""``python -m experiments`` is the ``mediacluster`` command."""

import sys

from .cli import main

sys.exit(main())
