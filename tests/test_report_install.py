"""A plain (non-editable) install runs a report: the templates travel as package data.

The test copies the package sources to a temporary folder, installs them with pip (not
editable) into a fresh virtual environment, and runs ``segtools report`` from a folder
outside the repository. The fresh environment borrows the dependencies (pandas,
papermill, ...) of the environment running the tests through a ``.pth`` line naming its
site-packages: that adds the folder to ``sys.path`` without running the ``.pth`` files in
it, so the editable install of this repository there stays invisible, and nothing is
downloaded except, when this environment cannot build a wheel itself, the build backend
(setuptools and wheel, from the configured package index).

Jupyter's data files of the borrowed environment (nbconvert's HTML templates) are not in its
site-packages but in its ``share/jupyter``, so ``JUPYTER_PATH`` names that folder; a
normal install puts them in the new environment itself. Its ``python3`` kernel spec
says ``python``, which the kernel manager replaces by the interpreter running the report
(the fresh environment's), so the kernel imports the installed package too.

The case datasets are not package data: :func:`segtools.data.load_case` reads them from
``SEGTOOLS_DATASETS`` (else ``<repo>/datasets``), so the run sets
``SEGTOOLS_DATASETS=<this repository>/datasets``.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _can_build_without_isolation() -> bool:
    try:
        import setuptools
        import wheel  # noqa: F401
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 69


def _run(argv, **kwargs):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=600, **kwargs)


@pytest.mark.slow
def test_a_plain_install_runs_a_case_report_from_anywhere(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(REPO / "segtools", source / "segtools", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", venv])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "_borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "SEGTOOLS"))}
    env.update(PYTHONNOUSERSITE="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"))
    build = ["--no-build-isolation", "--no-index"] if _can_build_without_isolation() else []
    installed = _run([python, "-m", "pip", "install", "--quiet", "--no-deps", *build, source], cwd=tmp_path, env=env)
    if installed.returncode and "No matching distribution found for setuptools" in installed.stderr:
        pytest.skip("no package index to fetch the build backend (setuptools>=69, wheel) from")
    assert installed.returncode == 0, installed.stderr

    where = _run([python, "-c", "import segtools; print(segtools.__file__)"], cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout + where.stderr
    assert (site / "segtools" / "reporting" / "templates" / "case_report.ipynb").is_file()

    env["SEGTOOLS_DATASETS"] = str(REPO / "datasets")  # the datasets are not package data
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = _run([venv / "bin" / "segtools", "report", "--case", "startup", "--out", "out"], cwd=work, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    out = work / "out"
    for name in ("report.html", "report.ipynb", "customer_segments.csv", "lead_priorities.csv", "summary.json"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["title"] and summary["rows_out"]["lead_priorities"] > 0
    executed = json.loads((out / "report.ipynb").read_text(encoding="utf-8"))
    assert Path(executed["metadata"]["papermill"]["input_path"]).is_relative_to(site)  # the installed template
    assert "Lead priorities" in (out / "report.html").read_text(encoding="utf-8")
    # the kernel ran the installed package: its python is the fresh environment's
    kernel = _run([python, "-c", "import sys; from jupyter_client.manager import KernelManager as K; "
                   "k = K(kernel_name='python3'); print(k.format_kernel_cmd()[0])"], cwd=work, env=env)
    assert kernel.stdout.strip() == str(python), kernel.stdout + kernel.stderr
