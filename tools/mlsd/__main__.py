from __future__ import annotations

import sys

from mlsd.cli import main

sys.exit(main())
