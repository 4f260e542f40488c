"""`python -m devstack` (what scripts/start runs): the whole service on one machine."""

from __future__ import annotations

import sys

from devstack.stack import main

sys.exit(main())
