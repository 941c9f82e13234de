"""The CLI starts without importing the heavy stages, and runs as a module."""

from __future__ import annotations

import subprocess
import sys


def test_help_imports_no_heavy_dependency():
    code = (
        "import sys, tinyweb.cli\n"
        "heavy = [m for m in ('playwright', 'torch', 'transformers', 'numpy', 'PIL', 'bertopic') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_python_dash_m_tinyweb_runs():
    result = subprocess.run([sys.executable, "-m", "tinyweb", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("tinyweb ")
