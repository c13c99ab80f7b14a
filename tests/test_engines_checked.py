"""Transaction files are checked once per report: the command's counts are reused by its kernel, never stale ones."""

import json
import os

import pandas as pd
import pytest

from segtools.engines import TransactionSource, checked
from segtools.errors import ValidationError


def _folder(tmp_path, ids=("A", "B")):
    folder = tmp_path / "orders"
    folder.mkdir(exist_ok=True)
    tx = pd.DataFrame({"customer_id": list(ids), "date": pd.to_datetime(["2025-01-02", "2025-02-03"]),
                       "amount": [10.0, 5.0]})
    tx.to_parquet(folder / "part-000.parquet", index=False)
    return folder


def _no_engine(self, *args, **kwargs):
    raise AssertionError("the files were read again")


def test_a_clean_check_is_reused_and_a_changed_file_is_checked_again(tmp_path, monkeypatch):
    monkeypatch.setenv(checked.ENV, str(tmp_path / "checked.json"))
    folder = _folder(tmp_path)
    first = TransactionSource(str(folder)).scan()
    assert len(json.loads((tmp_path / "checked.json").read_text())) == 1
    again = TransactionSource(str(folder))
    again.run  # the runner is made (it lists the files); it must not be asked to read them
    monkeypatch.setattr(type(again.run), "df", _no_engine)
    assert again.scan() == first
    monkeypatch.undo()
    monkeypatch.setenv(checked.ENV, str(tmp_path / "checked.json"))
    _folder(tmp_path, ids=("A", "C"))  # rewritten: another modification time
    os.utime(folder / "part-000.parquet", ns=(1, 1))
    changed = TransactionSource(str(folder))
    changed.run
    monkeypatch.setattr(type(changed.run), "df", _no_engine)
    with pytest.raises(AssertionError, match="read again"):
        changed.scan()


def test_a_failed_check_is_never_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv(checked.ENV, str(tmp_path / "checked.json"))
    folder = _folder(tmp_path, ids=("A", None))
    with pytest.raises(ValidationError, match="'customer_id'"):
        TransactionSource(str(folder)).scan()
    assert not (tmp_path / "checked.json").exists()


def test_without_the_variable_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv(checked.ENV, raising=False)
    TransactionSource(str(_folder(tmp_path))).scan()
    assert list(tmp_path.iterdir()) == [tmp_path / "orders"]


def test_the_command_hands_its_counts_to_the_kernel_then_removes_them(tmp_path, monkeypatch):
    import papermill

    from segtools.reporting import run_report

    monkeypatch.delenv(checked.ENV, raising=False)
    folder = _folder(tmp_path)
    seen = {}

    def fake_execute(*args, **kwargs):  # where the kernel would start: it inherits this environment
        seen["path"] = os.environ[checked.ENV]
        seen["counts"] = json.loads(open(seen["path"]).read())
        raise RuntimeError("stop here")

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    with pytest.raises(RuntimeError, match="stop here"):
        run_report(tmp_path / "out", transactions=str(folder / "*.parquet"), engine="duckdb")
    (key, counts), = seen["counts"].items()
    assert json.loads(key)["files"][0][0] == str(folder / "part-000.parquet") and counts["n_rows"] == 2
    assert checked.ENV not in os.environ and not os.path.exists(seen["path"])
