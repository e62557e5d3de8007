"""Entry point for spark-submit, which runs a file rather than a module:

spark-submit [options] path/to/newsloom/submit.py batch INPUT --out OUTPUT
"""

import sys

from newsloom.cli import main

__all__ = []

if __name__ == "__main__":
    sys.exit(main())
