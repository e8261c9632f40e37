"""`python -m builder ...` is the same as `stance-builder ...`."""

import sys

from builder.cli import main

sys.exit(main())
