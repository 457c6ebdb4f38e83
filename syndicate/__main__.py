"""``python -m syndicate`` is the ``syndicate`` command."""

import sys

from syndicate.cli import main

sys.exit(main())
