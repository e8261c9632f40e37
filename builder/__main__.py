"""`python -m builder ...` is the same as `stance-builder ...`."""

import sys

from .cli import main

sys.exit(main())
