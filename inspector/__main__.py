"""``python -m inspector``: same as the ``media-inspector`` command."""

import sys

from .cli import main

sys.exit(main())
