"""``python -m nacos.auto.registration``."""
import sys

from nacos.auto.cli import main

sys.exit(main())
