"""Entry point run by fgs-init: `python3 -I -S shim.py`. The runtime lives in
fgs_runtime.py next to this file, imported (and so loaded from the bytecode
precompiled at build time). Isolated mode does not put this directory on
sys.path, so it is added here."""
import sys

sys.path.insert(0, "/opt/fgs/runtimes/python")
import fgs_runtime  # noqa: E402

del sys.path[0]
fgs_runtime.main()
